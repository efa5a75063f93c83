// Header objects the HTTP capture writes as "fresh" (ValueWriter.fields): secret names redacted,
// credential shapes masked, and the values of standard headers (etag, content-type…) written as
// they are, without the shape scan; a name the redaction pattern matches still wins.
import { describe, expect, it } from 'vitest';
import { defaultLimits, defaultRedactPattern } from '../../src/format/values.js';
import { environmentSecrets, secretValuePattern } from '../../src/format/redact.js';
import { ValueReader } from '../../src/recording/value-reader.js';
import { TEXT_STYLES, valueText } from '../../src/recording/value-text.js';
import { ValueWriter } from '../../src/runtime/value-writer.js';

const BEARER = 'Bearer abcdefghijklmnopqrstuvwxyz';

function written(headers: Record<string, string>, fresh: boolean, redact = defaultRedactPattern): string {
  const keys = new RegExp(redact, 'i');
  const w = new ValueWriter(new Uint8Array(64 * 1024), defaultLimits, keys, secretValuePattern(environmentSecrets({}, keys)));
  w.fields(['headers'], [headers], 0, fresh ? 1 : 0);
  return valueText(new ValueReader(w.buf, 0, w.pos).record(), TEXT_STYLES.cli);
}

describe('header objects', () => {
  const headers = () => ({ etag: BEARER, 'content-type': 'text/plain', authorization: BEARER, 'x-note': BEARER });

  it('fresh: standard headers as they are, secret names redacted, shapes elsewhere masked', () => {
    const text = written(headers(), true);
    expect(text).toBe(`{headers: {etag: "${BEARER}", content-type: "text/plain", authorization: [redacted], x-note: "Bearer [redacted]"}}`);
  });

  it('a redaction pattern that names a standard header still redacts it', () => {
    const text = written(headers(), true, `${defaultRedactPattern}|^etag$`);
    expect(text).not.toContain(BEARER);
  });

  it('any other object: every value scanned, whatever its key', () => {
    const text = written(headers(), false);
    expect(text).not.toContain(BEARER);
    expect(text).toContain('etag: "Bearer [redacted]"');
  });
});
