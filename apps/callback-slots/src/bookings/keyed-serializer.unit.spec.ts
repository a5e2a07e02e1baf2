// The per-stream serialiser behind "writers in one process never race on an occurrence stream".
import { KeyedSerializer } from './keyed-serializer';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedSerializer', () => {
  it('runs work of one key one at a time, in call order', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name}:start`);
      await tick();
      log.push(`${name}:end`);
      return name;
    };
    const results = await Promise.all([serializer.run('a', job('1')), serializer.run('a', job('2')), serializer.run('a', job('3'))]);
    expect(results).toEqual(['1', '2', '3']);
    expect(log).toEqual(['1:start', '1:end', '2:start', '2:end', '3:start', '3:end']);
  });

  it('runs different keys side by side', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name}:start`);
      await tick();
      log.push(`${name}:end`);
    };
    await Promise.all([serializer.run('a', job('a')), serializer.run('b', job('b'))]);
    expect(log.slice(0, 2).sort()).toEqual(['a:start', 'b:start']);
  });

  it('a failure is its caller\'s alone: the next work of the key still runs, and idle keys are forgotten', async () => {
    const serializer = new KeyedSerializer();
    const failed = serializer.run('a', async () => {
      throw new Error('boom');
    });
    const next = serializer.run('a', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
    await tick();
    expect(serializer.size).toBe(0);
  });
});
