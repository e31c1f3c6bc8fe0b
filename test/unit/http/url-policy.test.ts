import { describe, expect, it } from 'vitest';
import { checkUrl } from '../../../src/sinks/http/url-policy.js';

describe('checkUrl: default policy', () => {
  it.each([
    'http://127.0.0.1:9000/hook',
    'https://hooks.slack.com/services/T0/B0/XYZ',
    'http://localhost/x',
    'http://10.0.0.5/',
    'http://192.168.1.1/',
    'http://172.16.0.1/',
    'http://[::1]:8080/',
    'http://[fd12:3456::1]/',
    'https://example.com/path?query=1#frag',
    'http://169.253.255.255/',
    'http://169.255.0.1/',
    'http://[fec0::1]/',
    'http://metadata.example.com/',
    'http://100.100.100.201/',
  ])('accepts %s', (url) => {
    expect(checkUrl(url)).toEqual([]);
  });

  it.each([
    ['not a url', 'invalid_format'],
    ['/relative/path', 'invalid_format'],
    ['ftp://example.com/', 'invalid_value'],
    ['file:///etc/passwd', 'invalid_value'],
    ['javascript:alert(1)', 'invalid_value'],
    ['http://user:pass@example.com/', 'invalid_value'],
    ['http://user@example.com/', 'invalid_value'],
  ])('refuses %s (%s)', (url, code) => {
    const issues = checkUrl(url);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.code).toBe(code);
    expect(issues[0]?.path).toEqual(['url']);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://169.254.0.1/',
    'http://169.254.255.255:8080/',
    'http://2852039166/',
    'http://0xA9FEA9FE/',
    'http://0xa9.0xfe.0xa9.0xfe/',
    'http://0251.0376.0251.0376/',
    'http://169.254.43518/',
    'http://[::ffff:169.254.169.254]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[0:0:0:0:0:ffff:a9fe:a9fe]/',
    'http://[::169.254.169.254]/',
    'http://[64:ff9b::169.254.169.254]/',
    'http://100.100.100.200/',
    'http://[::ffff:100.100.100.200]/',
    'http://[fd00:ec2::254]/',
    'http://[FD00:EC2:0:0:0:0:0:254]/',
    'http://[fe80::1]/',
    'http://[febf:ffff::1]/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://METADATA.google.internal./',
    'http://metadata.goog/',
    'http://metadata/',
    'http://metad%61ta/',
    'http://instance-data/latest/',
    'https://instance-data.:443/',
  ])('refuses the link-local or metadata host of %s', (url) => {
    const issues = checkUrl(url, {}, ['webhookUrl']);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'invalid_value', path: ['webhookUrl'], value: url });
    expect(checkUrl(url, { allowPrivateMetadata: true })).toEqual([]);
  });

  it('never echoes credentials back in an issue', () => {
    const issues = checkUrl('ftp://alice:s3cr3t-pw@example.com/');
    expect(issues.map((i) => i.code)).toEqual(['invalid_value', 'invalid_value']);
    expect(JSON.stringify(issues)).not.toContain('s3cr3t-pw');
    expect(JSON.stringify(issues)).not.toContain('alice');
  });
});

describe('checkUrl: allowHosts', () => {
  const policy = { allowHosts: ['hooks.slack.com', '*.example.com', '127.0.0.1', 'Api.Partner.IO.'] };

  it.each([
    'https://hooks.slack.com/services/x',
    'https://HOOKS.SLACK.COM/x',
    'https://a.example.com/',
    'https://a.b.example.com/',
    'http://127.0.0.1:9000/',
    'http://2130706433/',
    'https://api.partner.io/',
    'https://api.partner.io./',
  ])('allows %s', (url) => {
    expect(checkUrl(url, policy)).toEqual([]);
  });

  it.each([
    'https://example.com/',
    'https://evil-example.com/',
    'https://hooks.slack.com.evil.io/',
    'https://slack.com/',
    'http://127.0.0.2/',
    'https://partner.io/',
  ])('refuses %s', (url) => {
    expect(checkUrl(url, policy)).toMatchObject([{ code: 'invalid_value', path: ['url'] }]);
  });

  it('an empty list allows nothing; allowHosts never lets a metadata host through', () => {
    expect(checkUrl('https://example.com/', { allowHosts: [] })).toHaveLength(1);
    expect(checkUrl('http://169.254.169.254/', { allowHosts: ['169.254.169.254'] })).toHaveLength(1);
    expect(
      checkUrl('http://169.254.169.254/', { allowHosts: ['169.254.169.254'], allowPrivateMetadata: true }),
    ).toEqual([]);
  });
});
