// The COPY sent in one write: the Query, CopyData and CopyDone messages framed as the protocol says.
import { describe, expect, it } from 'vitest';
import { copyInMessages, CopyIn } from './copy-in.js';

describe('copyInMessages', () => {
  it('frames the statement, the rows (UTF-8 byte lengths) and the end of the data', () => {
    const out = copyInMessages('COPY t FROM STDIN', 'é\t1\n');
    const sql = Buffer.from('COPY t FROM STDIN\0');
    const rows = Buffer.from('é\t1\n');
    const expected = Buffer.concat([
      Buffer.from('Q'), Buffer.from([0, 0, 0, 4 + sql.length]), sql,
      Buffer.from('d'), Buffer.from([0, 0, 0, 4 + rows.length]), rows,
      Buffer.from('c'), Buffer.from([0, 0, 0, 4]),
    ]);
    expect(out).toEqual(expected);
  });
});

describe('CopyIn', () => {
  it('writes once when submitted; settles with the row count once ready, or with the error', async () => {
    const writes: Buffer[] = [];
    const copy = new CopyIn('COPY t FROM STDIN', 'a\n');
    copy.submit({ stream: { write: (chunk) => writes.push(chunk) > 0 } });
    copy.handleCopyInResponse();
    copy.handleCommandComplete({ text: 'COPY 1' });
    copy.handleReadyForQuery();
    expect([writes.length, await copy.done]).toEqual([1, 1]);
    const refused = new CopyIn('COPY t FROM STDIN', 'a\n');
    refused.handleError(Object.assign(new Error('duplicate key'), { code: '23505' }));
    await expect(refused.done).rejects.toMatchObject({ code: '23505' });
  });
});
