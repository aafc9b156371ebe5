// Each client's prepared statements under names of its own, and the extended protocol through the shared
// embedded database by hand: Parse/Bind/Describe/Execute/Sync/Close, a suspended portal, an error mid-pipeline.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scramClient } from '../test/support/scram-client.js';
import { openPglite } from './open-pglite.js';
import { sharePglite, type PgliteShare } from './pglite-share.js';
import { cstring, message } from './wire-messages.js';
import { StatementNames } from './wire-statement-names.js';

const int16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);
const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
/** Frontend messages of the extended protocol. */
const fe = {
  parse: (name: string, sql: string) => message('P', Buffer.concat([cstring(name), cstring(sql), int16(0)])),
  bind: (portal: string, statement: string) => message('B', Buffer.concat([cstring(portal), cstring(statement), int16(0), int16(0), int16(0)])),
  describe: (kind: 'S' | 'P', name: string) => message('D', Buffer.concat([Buffer.from(kind), cstring(name)])),
  execute: (portal: string, maxRows = 0) => message('E', Buffer.concat([cstring(portal), int32(maxRows)])),
  close: (kind: 'S' | 'P', name: string) => message('C', Buffer.concat([Buffer.from(kind), cstring(name)])),
  flush: () => message('H', Buffer.alloc(0)),
  sync: () => message('S', Buffer.alloc(0)),
};
/** The statement name a frame carries (Parse: first; Bind: second; Describe/Close: after the kind byte). */
const nameIn = (frame: Buffer): string => {
  const type = String.fromCharCode(frame[0]!);
  const parts = frame.toString('utf8', type === 'D' || type === 'C' ? 6 : 5).split('\0');
  return type === 'B' ? parts[1]! : parts[0]!;
};

describe('StatementNames', () => {
  it("maps a client's statement names to its own, in Parse, Bind, Describe and Close; the unnamed statement and portals stay", () => {
    const names = new StatementNames('etl_c7_');
    expect(nameIn(names.rewrite(fe.parse('stmtcache_0123456789abcdef0123456789abcdef0123456789abcdef', 'SELECT 1')))).toBe('etl_c7_1');
    expect(nameIn(names.rewrite(fe.parse('panel-1', 'SELECT $1::int')))).toBe('etl_c7_2');
    const bind = names.rewrite(fe.bind('portal-a', 'panel-1'));
    expect(bind.toString('utf8', 5).split('\0').slice(0, 2)).toEqual(['portal-a', 'etl_c7_2']);
    expect(nameIn(names.rewrite(fe.describe('S', 'panel-1')))).toBe('etl_c7_2');
    expect(names.rewrite(fe.describe('P', 'portal-a'))).toEqual(fe.describe('P', 'portal-a'));
    expect(names.rewrite(fe.parse('', 'SELECT 2'))).toEqual(fe.parse('', 'SELECT 2'));
    expect(names.rewrite(fe.execute('portal-a', 5))).toEqual(fe.execute('portal-a', 5));
    const parse = names.rewrite(fe.parse('panel-1', 'SELECT $1::int'));
    expect(parse.readInt32BE(1)).toBe(parse.length - 1); // the length follows the new name
    expect(parse.toString('utf8', 5).split('\0')[1]).toBe('SELECT $1::int');
  });

  it('forgets a closed name (a later Parse gets a new one), and closes what is left, then Sync', () => {
    const names = new StatementNames('p_');
    names.rewrite(fe.parse('a', 'SELECT 1'));
    names.rewrite(fe.parse('b', 'SELECT 2'));
    expect(nameIn(names.rewrite(fe.close('S', 'a')))).toBe('p_1');
    expect(nameIn(names.rewrite(fe.parse('a', 'SELECT 3')))).toBe('p_3');
    expect(names.closeAll()).toEqual(Buffer.concat([fe.close('S', 'p_2'), fe.close('S', 'p_3'), fe.sync()]));
    expect(names.closeAll()).toBeUndefined();
  });
});

interface Reply {
  readonly type: string;
  readonly body: Buffer;
}

/** A client speaking the protocol by hand, authenticated, recording the replies after its greeting. */
async function rawClient(share: PgliteShare, password: string): Promise<{ socket: Socket; replies: Reply[]; send(...frames: Buffer[]): Promise<Reply[]> }> {
  const socket = connect(share.port, share.host);
  const replies: Reply[] = [];
  const scram = scramClient(password);
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 5 && buf.length >= 1 + buf.readInt32BE(1)) {
      const reply = { type: String.fromCharCode(buf[0]!), body: buf.subarray(5, 1 + buf.readInt32BE(1)) };
      buf = buf.subarray(1 + buf.readInt32BE(1));
      replies.push(reply);
      if (reply.type === 'R' && reply.body.readInt32BE(0) === 10) socket.write(scram.initial());
      if (reply.type === 'R' && reply.body.readInt32BE(0) === 11) socket.write(scram.final(reply.body.toString('utf8', 4)));
    }
  });
  const startup = Buffer.concat([cstring('user'), cstring('x'), Buffer.from([0])]);
  socket.write(Buffer.concat([int32(8 + startup.length), int32(196_608), startup]));
  const until = async (count: number, last: string): Promise<void> => {
    for (let waited = 0; !(replies.length >= count && replies.at(-1)?.type === last); waited += 10) {
      if (waited > 10_000) throw new Error(`no '${last}' reply: ${replies.map((r) => r.type).join('')}`);
      await sleep(10);
    }
  };
  await until(1, 'Z');
  replies.length = 0;
  return {
    socket,
    replies,
    async send(...frames) {
      const from = replies.length;
      socket.write(Buffer.concat(frames));
      const last = frames.at(-1)![0] === 'S'.charCodeAt(0) ? 'Z' : 's';
      await until(from + 1, last);
      return replies.slice(from);
    },
  };
}

describe('the extended protocol through the shared embedded database', () => {
  const root = mkdtempSync(join(tmpdir(), 'etl-wire-extended-'));
  const dir = join(root, 'metrics-db');
  const password = 'extended-protocol-pw';
  let pglite: PGlite;
  let share: PgliteShare;
  // ParameterStatus ('S') may come at any time (PGlite reports its parameters again after a cycle spread over
  // several batches, as here after a suspended portal); clients take it as it comes: left out.
  const types = (replies: Reply[]): string => replies.filter((r) => r.type !== 'S').map((r) => r.type).join('');

  beforeAll(async () => {
    pglite = await openPglite(dir);
    share = await sharePglite(pglite, dir, { password });
  }, 60_000);
  afterAll(async () => {
    await share?.close();
    await pglite?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('runs a named statement through a portal suspended after each 2 rows, then closes it', async () => {
    const client = await rawClient(share, password);
    try {
      const first = await client.send(fe.parse('q', 'SELECT n FROM generate_series(1, 5) AS n'), fe.describe('S', 'q'), fe.bind('p', 'q'), fe.execute('p', 2), fe.flush());
      expect(types(first)).toBe('1tT2DDs'); // ParseComplete, ParameterDescription, RowDescription, BindComplete, 2 rows, PortalSuspended
      expect(types(await client.send(fe.execute('p', 2), fe.flush()))).toBe('DDs');
      const last = await client.send(fe.execute('p', 2), fe.close('P', 'p'), fe.sync());
      expect(types(last)).toBe('DC3Z');
      expect(last.filter((r) => r.type === 'D').map((r) => r.body.toString('utf8', 6))).toEqual(['5']);
      expect(types(await client.send(fe.bind('', 'q'), fe.execute(''), fe.sync()))).toBe('2DDDDDCZ'); // the statement outlives the cycle
      expect(types(await client.send(fe.close('S', 'q'), fe.sync()))).toBe('3Z');
      expect(types(await client.send(fe.bind('', 'q'), fe.execute(''), fe.sync()))).toBe('EZ'); // closed: 26000
    } finally {
      client.socket.destroy();
    }
  });

  it('skips to Sync after an error in a pipeline, and the next cycle runs', async () => {
    const client = await rawClient(share, password);
    try {
      const failed = await client.send(fe.parse('', 'SELEC 1'), fe.bind('', ''), fe.execute(''), fe.sync());
      expect(types(failed)).toBe('EZ');
      expect(failed[1]!.body.toString()).toBe('I');
      expect(types(await client.send(fe.parse('', 'SELECT 1; SELECT 2'), fe.sync()))).toBe('EZ'); // several statements cannot be prepared
      expect(types(await client.send(fe.parse('', 'SELECT 1'), fe.bind('', ''), fe.execute(''), fe.sync()))).toBe('12DCZ');
    } finally {
      client.socket.destroy();
    }
  });
});
