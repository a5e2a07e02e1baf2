// The tenant facts callback-slots takes from agent-directory: licensed features (call slots are a
// licensable feature) and the default country callback numbers are read with. Backed by the
// tenant_directory replica; answers are cached for a second per process (a licence change reaches
// every instance within that), and dropped at once when this process applies a change.
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CountryCodeSchema, type CountryCode, type LicensableFeature, type TenantView } from '@cc/contracts';
import { CALLBACK_SLOTS_CONFIG, type CallbackSlotsConfig } from '../config';

export type TenantFacts = { licensedFeatures: readonly string[]; defaultCountry: CountryCode; revision: number };

const CACHE_MS = 1_000;
const CACHE_MAX = 10_000;

@Injectable()
export class TenantDirectory {
  private readonly cache = new Map<string, { facts: TenantFacts | null; at: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CALLBACK_SLOTS_CONFIG) private readonly config: CallbackSlotsConfig,
  ) {}

  /** null: agent-directory never told us about this tenant. */
  async facts(tenantId: string): Promise<TenantFacts | null> {
    const cached = this.cache.get(tenantId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.facts;
    const rows = (await this.dataSource.query(
      `select licensed_features, default_country, revision from tenant_directory where tenant_id = $1`,
      [tenantId],
    )) as { licensed_features: string[]; default_country: string; revision: number }[];
    const row = rows[0];
    const country = CountryCodeSchema.safeParse(row?.default_country);
    const facts = row
      ? { licensedFeatures: row.licensed_features, defaultCountry: country.success ? country.data : this.config.CALLBACK_SLOTS_DEFAULT_COUNTRY, revision: row.revision }
      : null;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(tenantId, { facts, at: Date.now() });
    return facts;
  }

  async isLicensed(tenantId: string, feature: LicensableFeature): Promise<boolean> {
    return (await this.facts(tenantId))?.licensedFeatures.includes(feature) ?? false;
  }

  async defaultCountry(tenantId: string): Promise<CountryCode> {
    return (await this.facts(tenantId))?.defaultCountry ?? this.config.CALLBACK_SLOTS_DEFAULT_COUNTRY;
  }

  /** Applies a tenant event's whole tenant view unless a newer revision was applied already. */
  async apply(tenant: TenantView, revision: number): Promise<void> {
    await this.dataSource.query(
      `insert into tenant_directory (tenant_id, licensed_features, default_country, revision, updated_at)
       values ($1, $2, $3, $4, now())
       on conflict (tenant_id) do update set
         licensed_features = excluded.licensed_features, default_country = excluded.default_country,
         revision = excluded.revision, updated_at = now()
       where tenant_directory.revision < excluded.revision`,
      [tenant.tenantId, tenant.licence.features, tenant.settings.defaultCountry, revision],
    );
    this.cache.delete(tenant.tenantId);
  }

  /** Drops a tenant's replica row (tests clean up after themselves). */
  async forget(tenantId: string): Promise<void> {
    await this.dataSource.query(`delete from tenant_directory where tenant_id = $1`, [tenantId]);
    this.cache.delete(tenantId);
  }
}
