// Process identity: /proc/<pid>/stat read field by field (a command may hold spaces and parentheses), and a
// process that has exited but is not reaped yet (a zombie) counts as gone.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { currentProcess, isAlive, parseProcStat, processStart } from './process-identity.js';

/** A /proc/<pid>/stat line (fields 1-22 and a few more), its state and start tick as given. */
const statLine = (command: string, state: string, startTick: string): string =>
  `4242 (${command}) ${state} 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 ${startTick} 1000 50 18446744073709551615`;

describe('parseProcStat', () => {
  it('reads the state and the start tick after the command, whatever the command holds', () => {
    expect(parseProcStat(statLine('node', 'S', '123456'))).toEqual({ state: 'S', startTick: '123456' });
    expect(parseProcStat(statLine('etl worker (2) )x', 'R', '99'))).toEqual({ state: 'R', startTick: '99' });
    expect(parseProcStat(statLine('node', 'Z', '7'))).toEqual({ state: 'Z', startTick: '7' });
  });

  it('leaves out what a truncated line lacks', () => {
    expect(parseProcStat('4242 (node) S 1 2')).toEqual({ state: 'S', startTick: undefined });
    expect(parseProcStat('')).toEqual({ state: undefined, startTick: undefined });
  });
});

describe('isAlive', () => {
  const parents: number[] = [];
  afterEach(() => {
    for (const pid of parents.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('says this process is alive, an exited one not', () => {
    expect(isAlive(currentProcess())).toBe(true);
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    expect(isAlive({ host: currentProcess().host, pid: Number(exited.stdout) })).toBe(false);
  });

  it('a process killed but not reaped yet (a zombie) is gone, with or without its start', async () => {
    // Node reaps its own children at once: the zombie is the child of a shell that then becomes `sleep`,
    // which never waits for it.
    const parent = spawn('sh', ['-c', 'sleep 30 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    parents.push(parent.pid!);
    const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    const start = processStart(pid);
    expect(start).toBeDefined();
    expect(isAlive({ host: currentProcess().host, pid, start: start! })).toBe(true);
    process.kill(pid, 'SIGKILL');
    const until = Date.now() + 5000;
    while (parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).state !== 'Z') {
      if (Date.now() > until) throw new Error(`pid ${pid} did not become a zombie`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(existsSync(`/proc/${pid}/stat`)).toBe(true);
    expect(processStart(pid)).toBeUndefined();
    expect(isAlive({ host: currentProcess().host, pid, start: start! })).toBe(false);
    expect(isAlive({ host: currentProcess().host, pid })).toBe(false);
  });

  it('a process on another host is assumed alive', () => {
    expect(isAlive({ host: 'another-host.invalid', pid: 1 })).toBe(true);
  });
});
