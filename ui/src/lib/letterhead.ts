// The letterhead's images in Einstellungen: previews as data URLs (the CSP allows `data:`
// images; an SVG in <img> runs no script) and the open dialog's filter.
import type { ImageKind } from './api/bindings/ImageKind';
import type { LetterheadImageInfo } from './api/bindings/LetterheadImageInfo';

/** The open dialog's filter: the formats the core accepts. */
export const IMAGE_FILTER = { name: 'Bild (PNG, JPEG, SVG)', extensions: ['png', 'jpg', 'jpeg', 'svg'] };

/** The two images, in the order the screen shows them. */
export const IMAGE_KINDS: readonly { kind: ImageKind; label: string; hint: string }[] = [
  { kind: 'logo', label: 'Logo', hint: 'oben rechts im Briefkopf der Teilnahmebescheinigungen und des Jahresberichts' },
  { kind: 'signature', label: 'Unterschrift', hint: 'über der Unterschriftszeile der Teilnahmebescheinigungen' },
];

/** A data URL of the image's bytes for `<img src>`. */
export function imageDataUrl(image: Pick<LetterheadImageInfo, 'mime' | 'bytes'>): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < image.bytes.length; i += chunk) {
    binary += String.fromCharCode(...image.bytes.slice(i, i + chunk));
  }
  return `data:${image.mime};base64,${btoa(binary)}`;
}

/** The stored image of `kind` among `images`, or null. */
export function imageOf(images: readonly LetterheadImageInfo[], kind: ImageKind): LetterheadImageInfo | null {
  return images.find((i) => i.kind === kind) ?? null;
}

/** "12 kB" / "1,2 MB" for the image's size. */
export function imageSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
}
