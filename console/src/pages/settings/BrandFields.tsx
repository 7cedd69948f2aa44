import { Field } from '../../components/Field.tsx';
import type { SettingsDraft } from './settingsForm.ts';

// Suggestions only (the API takes any plain font-family list); the same as core's SAFE_FONTS.
const FONTS = [
  'system-ui, sans-serif',
  'Inter, system-ui, sans-serif',
  'Roboto, Arial, sans-serif',
  'Helvetica Neue, Arial, sans-serif',
  'Georgia, serif',
  'ui-monospace, monospace',
];

type BrandKey = 'brandName' | 'brandPrimary' | 'brandAccent' | 'brandFont' | 'brandRadius' | 'poweredBy';

/** The portal's brand: each field empty keeps Hookline's; a portal link may override any of them. */
export function BrandFields({
  draft,
  errors,
  set,
}: {
  draft: SettingsDraft;
  errors: Partial<Record<keyof SettingsDraft, string>>;
  set: <K extends BrandKey>(key: K, value: SettingsDraft[K]) => void;
}) {
  return (
    <div className="form">
      <Field
        label="Brand name"
        name="brandName"
        value={draft.brandName}
        onChange={(e) => set('brandName', e.target.value)}
        error={errors.brandName}
        maxLength={80}
        hint="Shown at the top of the portal instead of “Webhooks”."
      />
      <Field
        label="Main colour"
        name="brandPrimary"
        value={draft.brandPrimary}
        onChange={(e) => set('brandPrimary', e.target.value)}
        error={errors.brandPrimary}
        placeholder="#4f46e5"
        hint="Buttons and the active tab, as #rrggbb. Text on it is white or black, whichever reads."
      />
      <Field
        label="Accent colour"
        name="brandAccent"
        value={draft.brandAccent}
        onChange={(e) => set('brandAccent', e.target.value)}
        error={errors.brandAccent}
        placeholder="#4f46e5"
        hint="Links and focus rings, as #rrggbb; lightened in the dark theme until it reads. Empty: the main colour."
      />
      <Field
        label="Typeface"
        name="brandFont"
        list="brand-fonts"
        value={draft.brandFont}
        onChange={(e) => set('brandFont', e.target.value)}
        error={errors.brandFont}
        hint="A font-family list of fonts your customers have, e.g. Georgia, serif (no url())."
      />
      <datalist id="brand-fonts">
        {FONTS.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <Field
        label="Corner radius (px)"
        name="brandRadius"
        inputMode="numeric"
        value={draft.brandRadius}
        onChange={(e) => set('brandRadius', e.target.value)}
        error={errors.brandRadius}
        placeholder="10"
        hint="0 to 24 pixels, for cards; controls round at most 8."
      />
      <label className="check">
        <input type="checkbox" name="poweredBy" checked={draft.poweredBy} onChange={(e) => set('poweredBy', e.target.checked)} />
        <span>Show “Powered by Hookline”</span>
      </label>
      {errors.poweredBy && <p className="field-error">{errors.poweredBy}</p>}
    </div>
  );
}
