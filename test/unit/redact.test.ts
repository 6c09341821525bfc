import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { publicUrl, redactUrlPasswords, showUrl, urlSecrets } from '../../core/redact.js';
import { parseSettings } from '../../core/settings/parse-settings.js';

describe('URL passwords', () => {
  it('are redacted in text, in every URL of it, keeping the user and the rest', () => {
    assert.equal(
      redactUrlPasswords('GET http://berth:s3cret@localhost:5000/health answered 503; see https://a:b@x.test/'),
      'GET http://berth:[REDACTED]@localhost:5000/health answered 503; see https://a:[REDACTED]@x.test/',
    );
    assert.equal(redactUrlPasswords('http://user@host/ and http://host:8080/'), 'http://user@host/ and http://host:8080/');
    assert.equal(showUrl(new URL('http://berth:p%40ss@localhost:5000/health')), 'http://berth:[REDACTED]@localhost:5000/health');
  });

  it('are left out, with the user name, of a URL berth publishes', () => {
    assert.equal(publicUrl(new URL('https://viewer:p%40ss@app.example.com:8443/a?b=1')), 'https://app.example.com:8443/a?b=1');
    assert.equal(publicUrl(new URL('https://app.example.com')), 'https://app.example.com/');
  });

  it('are found in URL inputs, as typed and decoded, for masking', () => {
    assert.deepEqual(urlSecrets('http://berth:p%40ss@localhost/health'), ['p%40ss', 'p@ss']);
    assert.deepEqual(urlSecrets('http://berth:plain@localhost/'), ['plain']);
    assert.deepEqual(urlSecrets('http://localhost/health'), []);
    assert.deepEqual(urlSecrets('not a url'), []);
  });

  it('never appear in input errors', () => {
    const inputs: Record<string, string> = { command: 'deploy', 'health-url': 'ftp://berth:s3cret@localhost/health' };
    assert.throws(
      () => parseSettings((name) => inputs[name] ?? '', { defaultRef: 'main' }),
      (error: Error) => !error.message.includes('s3cret') && /health-url/.test(error.message),
    );
    inputs['health-url'] = 'http://berth:s3cret@local host:99999/health';
    assert.throws(
      () => parseSettings((name) => inputs[name] ?? '', { defaultRef: 'main' }),
      (error: Error) =>
        !error.message.includes('s3cret') && /Invalid input 'health-url': "http:\/\/berth:\[REDACTED\]@/.test(error.message),
    );
  });
});
