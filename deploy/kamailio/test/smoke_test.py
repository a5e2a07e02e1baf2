#!/usr/bin/env python3
"""Smoke test of deploy/kamailio/kamailio.cfg against a fake call-router and fake SIP phones.

Starts Kamailio on 127.0.0.1:5070 with a copy of the config, a fake router on 127.0.0.1:8099
(answers /v1/sip/rtjson from a table of plans, records /v1/calls/{id}/events) and UDP user agents
that are busy, ring forever, answer, stay silent or decline. Then it checks serial and parallel
forking, the per-route timers and headers, the reported events, CANCEL, BYE and error mapping.

    python3 deploy/kamailio/test/smoke_test.py                      # http_async_client if installed
    python3 deploy/kamailio/test/smoke_test.py --sync               # -A WITH_HTTP_SYNC (http_client)
    python3 deploy/kamailio/test/smoke_test.py --async-module /path/to/http_async_client.so

Needs kamailio 5.x with the tm, tmx, sl, rr, pv, maxfwd, textops, siputils, xlog, sanity, ctl,
uac, jansson, rtjson and http_client / http_async_client modules (Debian: kamailio,
kamailio-json-modules, kamailio-extra-modules, kamailio-utils-modules). Python standard library
only. Ends with "N passed, M failed"; exit code 1 on any failure.
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
CFG = os.path.join(HERE, '..', 'kamailio.cfg')
KAM = ('127.0.0.1', 5070)
ROUTER_PORT = 8099
TOKEN = 'smoke-test-token'

events = []   # (path, body) posted to /v1/calls/{id}/events
queries = []  # (body, headers) posted to /v1/sip/rtjson
PLAN = {}     # did -> (HTTP status, document or None)


class Router(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('content-length', 0))).decode()
        if self.path == '/v1/sip/rtjson':
            query = json.loads(body)
            queries.append((query, dict(self.headers)))
            status, doc = PLAN[query['did']]
            out = json.dumps(doc if doc is not None else {'title': 'error'}).encode()
            self.send_response(status)
            self.send_header('content-type', 'application/json')
            self.send_header('content-length', str(len(out)))
            self.end_headers()
            self.wfile.write(out)
        else:
            events.append((self.path, json.loads(body)))
            self.send_response(202)
            self.send_header('content-length', '0')
            self.end_headers()


def hdr(msg, name):
    m = re.search(r'^' + name + r':\s*(.*)$', msg, re.M | re.I)
    return m.group(1).strip() if m else None


def hdrs(msg, name):
    return [v.strip() for v in re.findall(r'^' + name + r':\s*(.*)$', msg, re.M | re.I)]


class Phone(threading.Thread):
    """A UAS: 'busy' (486), 'ring' (180, never answers), 'answer' (180 then 200), 'silent', 'decline' (603)."""

    def __init__(self, port, behaviour):
        super().__init__(daemon=True)
        self.port, self.behaviour = port, behaviour
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(('127.0.0.1', port))
        self.invites, self.cancels, self.byes, self.pending = [], [], 0, None

    def reply(self, req, code, reason, addr):
        lines = [f'SIP/2.0 {code} {reason}']
        lines += ['Via: ' + v for v in hdrs(req, 'Via')]
        lines += ['Record-Route: ' + r for r in hdrs(req, 'Record-Route')]
        to = hdr(req, 'To')
        if ';tag=' not in to and code > 100:
            to += f';tag=uas{self.port}'
        lines += ['From: ' + hdr(req, 'From'), 'To: ' + to, 'Call-ID: ' + hdr(req, 'Call-ID'),
                  'CSeq: ' + hdr(req, 'CSeq'), f'Contact: <sip:uas@127.0.0.1:{self.port}>',
                  'Content-Length: 0', '', '']
        self.sock.sendto('\r\n'.join(lines).encode(), addr)

    def run(self):
        while True:
            data, addr = self.sock.recvfrom(65535)
            msg = data.decode()
            method = msg.split(' ', 1)[0]
            if method == 'INVITE':
                self.invites.append(msg)
                if self.behaviour == 'silent':
                    continue
                self.reply(msg, 100, 'Trying', addr)
                if self.behaviour == 'busy':
                    self.reply(msg, 486, 'Busy Here', addr)
                elif self.behaviour == 'decline':
                    self.reply(msg, 603, 'Decline', addr)
                elif self.behaviour == 'ring':
                    self.reply(msg, 180, 'Ringing', addr)
                    self.pending = msg
                elif self.behaviour == 'answer':
                    self.reply(msg, 180, 'Ringing', addr)
                    time.sleep(0.2)
                    self.reply(msg, 200, 'OK', addr)
            elif method == 'CANCEL':
                self.cancels.append(time.time())
                self.reply(msg, 200, 'OK', addr)
                if self.pending:
                    self.reply(self.pending, 487, 'Request Terminated', addr)
            elif method == 'BYE':
                self.byes += 1
                self.reply(msg, 200, 'OK', addr)


class Caller:
    def __init__(self, port):
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(('127.0.0.1', port))
        self.sock.settimeout(15)

    def send(self, text):
        self.sock.sendto(text.encode(), KAM)

    def via(self, branch):
        return f'Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={branch};rport\r\n'

    def invite(self, did, extra=''):
        self.callid = f'{uuid.uuid4().hex}@caller.test'
        self.ftag = uuid.uuid4().hex[:8]
        self.branch = 'z9hG4bK' + uuid.uuid4().hex[:10]
        self.did = did
        self.send(f'INVITE sip:{did}@127.0.0.1:5070 SIP/2.0\r\n{self.via(self.branch)}Max-Forwards: 70\r\n'
                  f'From: "Alice A" <sip:alice@carrier.test>;tag={self.ftag}\r\nTo: <sip:{did}@edge.test>\r\n'
                  f'Call-ID: {self.callid}\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@127.0.0.1:{self.port}>\r\n'
                  f'{extra}Content-Length: 0\r\n\r\n')

    def final(self):
        """The final response to the current INVITE (skips other calls' and requests' responses)."""
        while True:
            msg = self.sock.recv(65535).decode()
            if hdr(msg, 'Call-ID') != self.callid or not hdr(msg, 'CSeq').endswith('INVITE'):
                continue
            code = int(msg.split(' ')[1])
            if code >= 200:
                if code >= 300:
                    self.ack_negative(msg)
                return code, msg

    def ack_negative(self, resp):
        self.send(f'ACK sip:{self.did}@127.0.0.1:5070 SIP/2.0\r\n{self.via(self.branch)}Max-Forwards: 70\r\n'
                  f'From: "Alice A" <sip:alice@carrier.test>;tag={self.ftag}\r\nTo: {hdr(resp, "To")}\r\n'
                  f'Call-ID: {self.callid}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n')

    def cancel(self):
        self.send(f'CANCEL sip:{self.did}@127.0.0.1:5070 SIP/2.0\r\n{self.via(self.branch)}Max-Forwards: 70\r\n'
                  f'From: "Alice A" <sip:alice@carrier.test>;tag={self.ftag}\r\nTo: <sip:{self.did}@edge.test>\r\n'
                  f'Call-ID: {self.callid}\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n')

    def in_dialog(self, method, resp, cseq):
        contact = re.search(r'<([^>]+)>', hdr(resp, 'Contact')).group(1)
        routes = ''.join(f'Route: {r}\r\n' for r in reversed(hdrs(resp, 'Record-Route')))
        self.send(f'{method} {contact} SIP/2.0\r\n{self.via("z9hG4bK" + uuid.uuid4().hex[:10])}{routes}'
                  f'Max-Forwards: 70\r\nFrom: "Alice A" <sip:alice@carrier.test>;tag={self.ftag}\r\n'
                  f'To: {hdr(resp, "To")}\r\nCall-ID: {self.callid}\r\nCSeq: {cseq} {method}\r\n'
                  'Content-Length: 0\r\n\r\n')


results = [0, 0]


def check(name, cond, info=''):
    results[0 if cond else 1] += 1
    print(('ok   ' if cond else 'FAIL ') + name + ('' if cond else f'  -- {info}'))


def route(port, user, **attrs):
    return {'uri': f'sip:{user}@127.0.0.1:{port}', **attrs}


def call_events(callid):
    return [e for p, e in events if e['sipCallId'] == callid]


def scenarios():
    busy, ring, answer = Phone(5081, 'busy'), Phone(5082, 'ring'), Phone(5083, 'answer')
    silent, decline, ring2 = Phone(5084, 'silent'), Phone(5085, 'decline'), Phone(5086, 'ring')
    for phone in (busy, ring, answer, silent, decline, ring2):
        phone.start()
    caller = Caller(5100)

    # Serial: busy -> no answer (1.5 s) -> unreachable (no reply in 1 s) -> declined -> answered.
    PLAN['100'] = (200, {'version': '1.0', 'routing': 'serial', 'routes': [
        route(5081, '2001', fr_inv_timer=5000),
        route(5082, '2002', fr_inv_timer=1500, headers={'extra': 'X-CC-Leg: two\r\n'}),
        route(5084, '2003', fr_timer=1000),
        route(5085, '+447700900123', headers={'extra': 'X-CC-Confirm: dtmf=1;timeout=15\r\n'}),
        route(5083, '2005', headers={'extra': 'X-CC-Leg: five\r\n',
                                     'from': {'display': 'Sales', 'uri': 'sip:sales@edge.test'}}),
    ]})
    t0 = time.time()
    caller.invite('100', extra='X-CC-Confirm: spoofed\r\n')
    code, resp = caller.final()
    elapsed = time.time() - t0
    check('serial: answered by the 5th route', code == 200 and hdr(resp, 'To').endswith('5083'), code)
    check('serial: per-route ring time and reply timeout honoured', 2.3 < elapsed < 6, elapsed)
    query, headers = queries[-1]
    check('routing query body', query.get('did') == '100' and query.get('fromUser') == 'alice'
          and query.get('callId') == caller.callid and query.get('fromDisplay') == 'Alice A', query)
    check('routing query headers', headers.get('Authorization') == f'Bearer {TOKEN}'
          and headers.get('X-Correlation-Id') == caller.callid, headers)
    check('X-CC-* from the caller removed',
          all('spoofed' not in m for p in (busy, ring, answer, silent, decline) for m in p.invites))
    check('serial: extra header on its route only',
          'X-CC-Leg: two' in ring.invites[-1] and 'X-CC-Leg' not in busy.invites[-1])
    check('serial: confirmation header on the mobile route', 'X-CC-Confirm: dtmf=1;timeout=15' in decline.invites[-1])
    check('serial: From replaced on the 5th route', 'sales@edge.test' in hdr(answer.invites[-1], 'From'))
    caller.in_dialog('ACK', resp, 1)
    time.sleep(0.3)
    caller.in_dialog('BYE', resp, 2)
    time.sleep(1.0)
    got = [(e['type'], e.get('leg'), e.get('by')) for e in call_events(caller.callid)]
    check('serial: events busy 0, no-answer 1, unreachable 2, declined 3, answered 4, hangup by caller',
          got == [('busy', 0, None), ('no-answer', 1, None), ('unreachable', 2, None), ('declined', 3, None),
                  ('answered', 4, None), ('hangup', None, 'caller')], got)
    paths = {p for p, e in events if e['sipCallId'] == caller.callid}
    check('events posted to /v1/calls/{url-encoded Call-ID}/events',
          paths == {'/v1/calls/' + caller.callid.replace('@', '%40') + '/events'}, paths)
    check('BYE reached the callee', answer.byes == 1)

    # Parallel: per-route extra headers; the answering leg is reported.
    PLAN['200'] = (200, {'version': '1.0', 'routing': 'parallel', 'routes': [
        route(5082, '2002', fr_inv_timer=10000, headers={'extra': 'X-CC-Leg: desk\r\n'}),
        route(5083, '+447700900123', headers={'extra': 'X-CC-Confirm: dtmf=1\r\n'}),
    ]})
    caller.invite('200')
    code, resp = caller.final()
    check('parallel: answered', code == 200, code)
    check('parallel: extra headers per branch',
          'X-CC-Leg: desk' in ring.invites[-1] and 'X-CC-Confirm' not in ring.invites[-1]
          and 'X-CC-Confirm: dtmf=1' in answer.invites[-1] and 'X-CC-Leg' not in answer.invites[-1])
    caller.in_dialog('ACK', resp, 1)
    time.sleep(0.3)
    caller.in_dialog('BYE', resp, 2)
    time.sleep(1.0)
    got = [(e['type'], e.get('leg')) for e in call_events(caller.callid)]
    check('parallel: answered by leg 1, then hangup', got == [('answered', 1), ('hangup', None)], got)

    # Parallel step rings until its longest fr_inv_timer (tm has one ring time per transaction).
    PLAN['210'] = (200, {'version': '1.0', 'routing': 'parallel', 'routes': [
        route(5082, 'a', fr_inv_timer=1000), route(5086, 'b', fr_inv_timer=2500)]})
    ring.cancels.clear()
    ring2.cancels.clear()
    t0 = time.time()
    caller.invite('210')
    code, _ = caller.final()
    time.sleep(0.5)
    rang = [c - t0 for c in ring.cancels + ring2.cancels]
    check('parallel: 408 after the longest fr_inv_timer', code == 408 and len(rang) == 2
          and all(2.2 < r < 3.2 for r in rang), (code, rang))

    PLAN['220'] = (200, {'version': '1.0', 'routing': 'parallel', 'routes': [route(5081, 'a'), route(5081, 'b')]})
    caller.invite('220')
    check('parallel: every branch busy -> 486', caller.final()[0] == 486)

    # The caller hangs up while it rings.
    PLAN['300'] = (200, {'version': '1.0', 'routing': 'serial', 'routes': [route(5082, '2002', fr_inv_timer=10000)]})
    caller.invite('300')
    time.sleep(0.7)
    caller.cancel()
    code, _ = caller.final()
    time.sleep(0.8)
    got = [(e['type'], e.get('by')) for e in call_events(caller.callid)]
    check('CANCEL -> 487 and hangup by caller', code == 487 and got == [('hangup', 'caller')], (code, got))

    # Router answers that are not a plan.
    cases = [
        ('400', (200, {'version': '1.0', 'routing': 'serial', 'routes': [],
                       'reject': {'code': 486, 'reason': 'Busy Here'}}), 486, 'reject extension'),
        ('404', (404, None), 404, 'router 404 (unknown number)'),
        ('500', (500, None), 503, 'router 5xx'),
        ('480', (200, {'version': '1.0', 'routing': 'serial', 'routes': []}), 480, 'plan without routes'),
        ('486', (200, {'version': '1.0', 'routing': 'serial', 'routes': [route(5081, 'x')]}), 486,
         'serial plan exhausted (final reply of the last route)'),
    ]
    for did, plan, expected, name in cases:
        PLAN[did] = plan
        caller.invite(did)
        code, _ = caller.final()
        check(f'{name} -> {expected}', code == expected, code)


def kamailio_config(async_module):
    cfg = open(CFG).read()
    cfg = cfg.replace('listen=udp:0.0.0.0:5060', 'listen=udp:127.0.0.1:5070')
    cfg = cfg.replace('listen=tcp:0.0.0.0:5060', 'listen=tcp:127.0.0.1:5070')
    cfg = cfg.replace('tcp:127.0.0.1:2049', 'tcp:127.0.0.1:2149')
    cfg = cfg.replace('children=8', 'children=4')
    if async_module:
        cfg = cfg.replace('loadmodule "http_async_client.so"', f'loadmodule "{async_module}"')
    return cfg


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--sync', action='store_true', help='run with -A WITH_HTTP_SYNC (http_client)')
    parser.add_argument('--async-module', help='path of http_async_client.so if not in the module path')
    parser.add_argument('--kamailio', default='kamailio')
    args = parser.parse_args()

    threading.Thread(target=ThreadingHTTPServer(('127.0.0.1', ROUTER_PORT), Router).serve_forever,
                     daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        cfg_path = os.path.join(tmp, 'kamailio.cfg')
        with open(cfg_path, 'w') as f:
            f.write(kamailio_config(args.async_module))
        cmd = [args.kamailio, '-f', cfg_path, '-DD', '-E', '-m', '64', '-M', '8']
        if args.sync:
            cmd += ['-A', 'WITH_HTTP_SYNC']
        check_run = subprocess.run(cmd[:3] + ['-c'] + cmd[7:], capture_output=True, text=True)
        if check_run.returncode != 0:
            print(check_run.stderr[-3000:])
            print('0 passed, 1 failed')
            return 1
        env = dict(os.environ, CC_ROUTER_URL=f'http://127.0.0.1:{ROUTER_PORT}', CC_ROUTER_TOKEN=TOKEN)
        log_path = os.path.join(tmp, 'kamailio.log')
        with open(log_path, 'w') as log:
            kam = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            time.sleep(2)
            if kam.poll() is not None:
                print(open(log_path).read()[-3000:])
                print('0 passed, 1 failed')
                return 1
            print(f'kamailio {"http_client (sync)" if args.sync else "http_async_client"}')
            scenarios()
        except Exception as error:  # a scenario crashed (e.g. no answer within 15 s)
            results[1] += 1
            print(f'FAIL scenario crashed: {error!r}')
            print(open(log_path).read()[-3000:])
        finally:
            kam.terminate()
            kam.wait(10)
    print(f'{results[0]} passed, {results[1]} failed')
    return 1 if results[1] else 0


if __name__ == '__main__':
    sys.exit(main())
