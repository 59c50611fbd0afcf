import { describe, expect, it } from 'vitest';
import { imageDataUrl, imageOf, imageSize } from './letterhead';

describe('letterhead images', () => {
  it('makes a base64 data URL of the bytes, also for large images', () => {
    expect(imageDataUrl({ mime: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47] })).toBe('data:image/png;base64,iVBORw==');
    const big = Array.from({ length: 100_000 }, (_, i) => i % 256);
    const url = imageDataUrl({ mime: 'image/jpeg', bytes: big });
    expect(url.startsWith('data:image/jpeg;base64,')).toBe(true);
    const decoded = atob(url.slice('data:image/jpeg;base64,'.length));
    expect(decoded.length).toBe(100_000);
    expect(decoded.charCodeAt(99_999)).toBe(99_999 % 256);
  });

  it('finds an image by kind and states sizes in German', () => {
    const logo = { kind: 'logo' as const, mime: 'image/png', file_name: 'logo.png', bytes: [1] };
    expect(imageOf([logo], 'logo')).toBe(logo);
    expect(imageOf([logo], 'signature')).toBeNull();
    expect(imageSize(300)).toBe('1 kB');
    expect(imageSize(20_480)).toBe('20 kB');
    expect(imageSize(1_258_291)).toBe('1,2 MB');
  });
});
