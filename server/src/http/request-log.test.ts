import { describe, expect, it } from 'vitest';
import { loggableUrl } from './request-log.js';

describe('URLs in the access log', () => {
  it('When a URL has a search term or other free values, then only the keys and harmless values are logged', () => {
    expect(loggableUrl('/api/customers?q=123-45-6789&limit=20')).toBe('/api/customers?q=[redacted]&limit=20');
    expect(
      loggableUrl('/api/applications?stage=rfi&stage=intake&q=ada%40example.com&sort=createdAt&order=desc&cursor=abc'),
    ).toBe('/api/applications?stage=rfi&stage=intake&q=[redacted]&sort=createdAt&order=desc&cursor=[redacted]');
    expect(loggableUrl('/api/customers?Ada%20Lovelace')).toBe('/api/customers?[redacted]');
    expect(loggableUrl('/api/applications')).toBe('/api/applications');
  });

  it('When a URL is a file link in any spelling, then its token is not logged', () => {
    expect(loggableUrl('/files/document.8c1f7e2a-1b2c-4d3e-8f90-123456789abc.1790000000.sig')).toBe(
      '/files/[redacted]',
    );
    expect(loggableUrl('/FILES/token?x=1')).toBe('/files/[redacted]?x=[redacted]');
    expect(loggableUrl('//files%2Ftoken')).toBe('//files/[redacted]');
  });
});
