import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { basicAuthSecrets, HIDDEN_URL, isSecretName, maskDeep, maskText, maskUrl, replaceSecrets, urlLocation, urlSecrets } from './mask.js';

/** How pg itself reads a connection string (through pg-connection-string); undefined when it rejects it. */
function pgReads(connectionString: string): { user: unknown; password: unknown; host: unknown } | undefined {
  try {
    const client = new pg.Client({ connectionString });
    return { user: client.user, password: client.password, host: client.host };
  } catch {
    return undefined;
  }
}

describe('maskUrl', () => {
  it('ends the userinfo at the last @ before the host, as pg does (unencoded @ in the password)', () => {
    const url = 'postgresql://etl:Sec@ret99x@db/site';
    expect(pgReads(url)).toMatchObject({ user: 'etl', password: 'Sec@ret99x', host: 'db' });
    expect(maskUrl(url)).toBe('postgresql://etl:***@db/site');
    expect(maskUrl('postgres://e@tl:pw@db/site')).toBe('postgres://e@tl:***@db/site');
  });

  it('masks a password holding a space or a colon, which pg accepts', () => {
    expect(pgReads('postgresql://etl:pa ss@db/site')).toMatchObject({ password: 'pa ss', host: 'db' });
    expect(maskUrl('postgresql://etl:pa ss@db/site')).toBe('postgresql://etl:***@db/site');
    expect(pgReads('postgresql://etl:pa:ss@db/site')).toMatchObject({ password: 'pa:ss', host: 'db' });
    expect(maskUrl('postgresql://etl:pa:ss@db/site')).toBe('postgresql://etl:***@db/site');
  });

  it('hides whole a URL that pg rejects when it may hold a password (/, # or ? in the password)', () => {
    for (const url of ['postgresql://etl:pa/ss@db/site', 'postgresql://etl:pa#ss@db/site', 'postgresql://etl:pa?ss@db/site']) {
      expect(pgReads(url), url).toBeUndefined();
      expect(maskUrl(url)).toBe(`postgresql://${HIDDEN_URL}`);
    }
    expect(maskUrl('postgres//etl:s3cret@host/db')).toBe(HIDDEN_URL);
  });

  it('reads cautiously a URL pg parses with the password cut at # or ? (it sees host etl, port 12)', () => {
    for (const url of ['postgresql://etl:12#ss@db/site', 'postgresql://etl:12?ss@db/site', 'postgresql://etl:12/ss@db/site']) {
      expect(pgReads(url), url).toMatchObject({ host: 'etl' });
      expect(maskUrl(url)).toBe('postgresql://etl:***@db/site');
    }
  });

  it('masks secret query parameters, which pg prefers to the userinfo password', () => {
    const url = 'postgresql://etl@db/site?password=qp&sslmode=disable';
    expect(pgReads(url)).toMatchObject({ password: 'qp' });
    expect(maskUrl(url)).toBe('postgresql://etl@db/site?password=***&sslmode=disable');
    expect(maskUrl('postgres://etl@db/site?sslkey=/keys/client.key&sslpassword=kp')).toBe('postgres://etl@db/site?sslkey=/keys/client.key&sslpassword=***');
    expect(maskUrl('postgres://etl:a@b@db/site?password=p@ss')).toBe('postgres://etl:***@db/site?password=***');
  });

  it('masks for any scheme, keeping the user name', () => {
    expect(maskUrl('redis://:pw@host:6379')).toBe('redis://:***@host:6379');
    expect(maskUrl('rediss://default:pw@cache.example:6380/2')).toBe('rediss://default:***@cache.example:6380/2');
    expect(maskUrl('https://user:tok@host/path?token=x')).toBe('https://user:***@host/path?token=***');
    expect(maskUrl('https://api.example/v1?api_key=k1&Access_Token=t1&X-Amz-Signature=s1&page=2')).toBe(
      'https://api.example/v1?api_key=***&Access_Token=***&X-Amz-Signature=***&page=2',
    );
    expect(maskUrl('https://app.example/cb#access_token=t2&token_type=bearer')).toBe('https://app.example/cb#access_token=***&token_type=bearer');
    expect(maskUrl('https://user:p@ss/w#x@host/')).toBe('https://user:***@host/');
    expect(maskUrl('mongodb://app:pw@mongo.example/shop?authSource=admin')).toBe('mongodb://app:***@mongo.example/shop?authSource=admin');
  });

  it('leaves a URL without secrets and a string that is no URL unchanged', () => {
    for (const text of [
      'postgres://etl@db/site?sslmode=require',
      'https://prom.example:9090/',
      'http://h/p?q=1#f',
      'sum(rate(http_requests_total[5m]))',
      'user@example.com',
      '/var/run/postgresql',
      'postgres://db:notaport/site',
      'https://grafana.example:3000/render?email=a@b.example',
      'https://medium.com/@user',
    ]) {
      expect(maskUrl(text)).toBe(text);
    }
  });

  it('uses the mark it is given', () => {
    expect(maskUrl('postgres://postgres:hunter2@127.0.0.1:1/nothing', { mask: '****' })).toBe('postgres://postgres:****@127.0.0.1:1/nothing');
  });
});

describe('urlLocation', () => {
  it('says where a URL points, without password, query or fragment', () => {
    expect(urlLocation('postgres://app:hunter2@db.example:5433/shop?sslmode=require')).toBe('postgres://app@db.example:5433/shop');
    expect(urlLocation('postgresql://etl:Sec@ret99x@db/site')).toBe('postgresql://etl@db/site');
    expect(urlLocation('postgresql://etl:12#ss@db/site')).toBe('postgresql://etl@db/site');
    expect(urlLocation('redis://:pw@host:6379')).toBe('redis://host:6379');
    expect(urlLocation('postgresql://etl:pa/ss@db/site')).toBe(`postgresql://${HIDDEN_URL}`);
  });
});

describe('urlSecrets', () => {
  it('gives the password and secret parameters as written, decoded and re-encoded', () => {
    const secrets = urlSecrets('postgres://etl:p%40ss%20w@db/site?password=q+p%21');
    expect(secrets).toEqual(expect.arrayContaining(['p%40ss%20w', 'p@ss w', 'q+p%21', 'q p!']));
    expect(urlSecrets('postgresql://etl:Sec@ret99x@db/site')).toEqual(expect.arrayContaining(['Sec@ret99x', 'Sec%40ret99x']));
    expect(urlSecrets('postgresql://etl:pa/ss@db/site')).toContain('pa/ss');
    expect(urlSecrets('postgres://etl@db/site')).toEqual([]);
  });
});

describe('maskText', () => {
  it('masks every URL in a sentence', () => {
    expect(maskText('cannot connect to postgresql://etl:Sec@ret99x@db:5432/site: timeout; retrying redis://:pw@cache:6379.')).toBe(
      'cannot connect to postgresql://etl:***@db:5432/site: timeout; retrying redis://:***@cache:6379.',
    );
    expect(maskText('source (postgres://u:pw@db:5432) refused')).toBe('source (postgres://u:***@db:5432) refused');
    expect(maskText('bad url "postgresql://etl:pa/ss@db/site" in config')).toBe(`bad url "postgresql://${HIDDEN_URL}" in config`);
  });

  it('scrubs the given secrets, percent-encoded and decoded', () => {
    const secrets = urlSecrets('postgres://etl:p%40ss%20w@db/site');
    expect(maskText('password p@ss w rejected (sent as p%40ss%20w)', secrets)).toBe('password *** rejected (sent as ***)');
    expect(maskText('failed: hunter2', ['hunter2'], { mask: '****' })).toBe('failed: ****');
  });

  it('finds a URL after a long run of letters, in linear time', () => {
    const blob = 'a'.repeat(200_000);
    const started = performance.now();
    expect(maskText(`${blob}postgres://u:pw@db/x ${blob}`)).toBe(`${blob}postgres://u:***@db/x ${blob}`);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('leaves text without URLs or secrets unchanged', () => {
    const text = "reader 'events': relation \"events\" does not exist (see https://www.postgresql.org/docs/)";
    expect(maskText(text, ['nothing-here'])).toBe(text);
  });
});

describe('replaceSecrets', () => {
  it('replaces the given strings only, longest first, and leaves URLs to maskText', () => {
    expect(replaceSecrets('token abcdefgh-long and abcdefgh', ['abcdefgh', 'abcdefgh-long', ''])).toBe('token *** and ***');
    expect(replaceSecrets('see postgres://u:pw@db/x', [])).toBe('see postgres://u:pw@db/x');
    expect(replaceSecrets('failed: hunter2', ['hunter2'], { mask: '****' })).toBe('failed: ****');
  });
});

describe('maskDeep', () => {
  it('masks every string of a value, keys included, and keeps the rest', () => {
    const at = new Date(0);
    const value = { error: 'postgres://u:pw@db/x refused', nested: [{ note: 'token s3cr3t-value' }, 7, null, true], at, 's3cr3t-value': 1 };
    expect(maskDeep(value, ['s3cr3t-value'])).toEqual({ error: 'postgres://u:***@db/x refused', nested: [{ note: 'token ***' }, 7, null, true], at, '***': 1 });
    expect(maskDeep(value, ['s3cr3t-value']).at).toBe(at);
    expect(maskDeep('plain')).toBe('plain');
    expect(value.error).toBe('postgres://u:pw@db/x refused');
  });
});

describe('isSecretName', () => {
  it('knows secret names in any spelling, and that key file paths are not secrets', () => {
    for (const name of ['password', 'sslpassword', 'pass', 'token', 'access_token', 'secret', 'key', 'apikey', 'api_key', 'apiKey', 'bearerToken', 'privateKey', 'credentials', 'client_secret']) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ['sslkey', 'keyFile', 'sslmode', 'user', 'url', 'token_type', 'authSource', 'name']) expect(isSecretName(name), name).toBe(false);
  });
});

describe('credentials a server echoes (issue 18)', () => {
  const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

  it('hides Basic and Bearer credentials in any text, whatever else is configured', () => {
    expect(maskText(`401: Authorization: Basic ${base64('etl:Pr0m pw!')} refused`)).toBe('401: Authorization: Basic *** refused');
    expect(maskText('{"authorization":"bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl"}')).toBe('{"authorization":"bearer ***"}');
    expect(maskText('got Authorization: Bearer ya29.a0AfH6SMB-token_value, denied')).toBe('got Authorization: Bearer ***, denied');
    expect(maskDeep({ echoed: [`BASIC ${base64('u:p')}`] })).toEqual({ echoed: ['BASIC ***'] });
  });

  it('leaves the words basic and bearer alone when no credential follows', () => {
    for (const text of ['basic auth failed', 'Bearer realm="prometheus", error="invalid_token"', 'sent as Bearer token.', 'Authorization: Bearer <token>', 'Basic authentication required']) {
      expect(maskText(text)).toBe(text);
    }
  });

  it('replaces each given secret in its base64 and URL-encoded forms too', () => {
    const secret = 's3cr3t/p@ss w';
    expect(replaceSecrets(`raw ${secret}; b64 ${base64(secret)}; encoded ${encodeURIComponent(secret)}`, [secret])).toBe('raw ***; b64 ***; encoded ***');
    expect(maskText(`echo ${base64(secret)}`, [secret])).toBe('echo ***');
    expect(maskDeep({ [base64(secret)]: encodeURIComponent(secret) }, [secret])).toEqual({ '***': '***' });
  });

  it('gives base64 of user:password, from a URL or from basic-auth settings', () => {
    expect(urlSecrets('https://etl:Pr0m%20pw@prom.example/')).toContain(base64('etl:Pr0m pw'));
    expect(urlSecrets('https://etl@prom.example/')).toEqual([]);
    expect(basicAuthSecrets('etl', 'Pr0m pw')).toEqual(['Pr0m pw', base64('etl:Pr0m pw')]);
    expect(basicAuthSecrets('etl', '')).toEqual([]);
    expect(maskText(`body: {"auth":"${base64('etl:Pr0m pw')}"}`, urlSecrets('https://etl:Pr0m%20pw@prom.example/'))).toBe('body: {"auth":"***"}');
  });
});
