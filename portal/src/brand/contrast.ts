// WCAG 2 contrast of #rrggbb colours, and a colour nudged until text in it reads on a background.

type Rgb = [number, number, number];

const rgbOf = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const hexOf = (rgb: Rgb): string => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

function luminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Black-ish or white text on `background`, whichever reads better. */
export function textOn(background: string): string {
  return contrastRatio(background, '#ffffff') >= contrastRatio(background, '#111827') ? '#ffffff' : '#111827';
}

/**
 * `color` mixed step by step toward white (on a dark background) or black (on a light one) until
 * it has `min` contrast with `background`: a brand colour stays recognisable yet readable.
 */
export function readableOn(color: string, background: string, min = 4.5): string {
  const toward: Rgb = luminance(background) < 0.2 ? [255, 255, 255] : [0, 0, 0];
  const from = rgbOf(color);
  for (let step = 0; step <= 10; step++) {
    const mixed = hexOf(from.map((c, i) => c + ((toward[i]! - c) * step) / 10) as Rgb);
    if (contrastRatio(mixed, background) >= min) return mixed;
  }
  return hexOf(toward);
}
