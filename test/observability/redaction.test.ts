import { describe, expect, it } from 'vitest';
import { configuredSecrets, loadConfig } from '../../src/config.js';
import { LogCapture } from '../support/log-capture.js';

const TOKEN = 'dst-live-9f8e7d6c5b4a';
const ORG = 'org-5521-secret';

describe('log redaction', () => {
  it('blanks authorization and cookie headers wherever a logged object carries them', () => {
    const capture = new LogCapture();
    capture.logger.info({ req: { headers: { authorization: `Bearer ${TOKEN}`, cookie: 'sid=1', accept: 'application/json' } }, headers: { authorization: 'Basic abc' }, upstream: { authorization: 'Bearer xyz' } }, 'call');
    const [line] = capture.lines;
    expect(line).toMatchObject({
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', accept: 'application/json' } },
      headers: { authorization: '[redacted]' },
      upstream: { authorization: '[redacted]' },
    });
    expect(capture.raw[0]).not.toContain(TOKEN);
  });

  it('replaces every configured vendor token wherever it appears, in messages and error texts too', () => {
    const config = loadConfig({ AUTH: 'none', DISTRU_BASE_URL: 'https://app.distru.com', DISTRU_TOKEN: TOKEN, PHARUS_BASE_URL: 'https://p.example/api', PHARUS_TOKEN: 'ph-token-1234', PHARUS_ORG_ID: ORG });
    const capture = new LogCapture({ secrets: configuredSecrets(config) });
    capture.logger.warn({ err: new Error(`upstream said: invalid token ${TOKEN}`), note: `org ${ORG}` }, `retrying with ${TOKEN}`);
    capture.logger.info({ quoted: `"${TOKEN}"\n` }, 'json-escaped');
    const all = capture.raw.join('');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(ORG);
    const [first] = capture.lines;
    expect(first).toMatchObject({ msg: 'retrying with [redacted]', note: 'org [redacted]', err: { message: 'upstream said: invalid token [redacted]' } });
  });
});
