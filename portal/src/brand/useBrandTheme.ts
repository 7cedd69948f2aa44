import { useEffect } from 'react';
import { readPortalParams } from '../embed.ts';
import { applyBrandVariables, brandVariables, type BrandLook } from './brandVariables.ts';

/**
 * Applies the portal's brand as CSS variables while it is shown. The link's own theme parameters
 * (an embed's primaryColor, fontFamily) are the embedding page's choice and keep precedence.
 */
export function useBrandTheme(brand: BrandLook | undefined): void {
  useEffect(() => {
    if (!brand) return;
    const url = readPortalParams();
    const dark = document.documentElement.dataset.theme === 'dark';
    return applyBrandVariables(brandVariables(brand, { dark, keep: { primary: url.primaryColor !== null, font: url.fontFamily !== null } }));
  }, [brand]);
}
