import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ErrorState, Panel } from '@hookline/ui';
import { useConsoleApi } from '../../api/apiContext.tsx';
import { Field } from '../../components/Field.tsx';
import { BrandFields } from './BrandFields.tsx';
import { LogoField } from './LogoField.tsx';
import { PortalPreview } from './PortalPreview.tsx';
import { draftOf, patchOf, settingsFieldErrors, type SettingsDraft, type TenantSettings } from './settingsForm.ts';

export const SETTINGS_KEY = ['settings'] as const;

/** Retry schedule, retention and portal defaults in one form: the API takes all or none (422 on the bad fields). */
export function SettingsForm({ settings }: { settings: TenantSettings }) {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(settings));
  const save = useMutation({
    mutationFn: () => client.request('patch', '/console/v1/settings', { body: patchOf(draft) }),
    onSuccess: (saved) => {
      queryClient.setQueryData(SETTINGS_KEY, saved);
      setDraft(draftOf(saved));
    },
  });
  const errors = settingsFieldErrors(save.error);
  const otherError = save.error && Object.keys(errors).length === 0 ? save.error : null;
  const set = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    save.reset();
  };
  const inst = settings.installation;
  return (
    <form
      className="stack"
      aria-label="Tenant settings"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Panel title="Delivery">
        <div className="form">
          <Field
            label="Retry schedule (seconds)"
            name="retrySchedule"
            value={draft.retrySchedule}
            onChange={(e) => set('retrySchedule', e.target.value)}
            error={errors.retrySchedule}
            placeholder={inst.retrySchedule.join(', ')}
            hint={`Delays before each retry, comma-separated. Empty: the installation's (${inst.retrySchedule.join(', ')}).`}
          />
          <Field
            label="Retention (days)"
            name="retentionDays"
            inputMode="numeric"
            value={draft.retentionDays}
            onChange={(e) => set('retentionDays', e.target.value)}
            error={errors.retentionDays}
            placeholder={String(inst.messageRetentionDays)}
            hint={`Payloads of older messages are expired. At most, and when empty, the installation's ${inst.messageRetentionDays} days.`}
          />
        </div>
      </Panel>
      <Panel title="Portal defaults">
        <div className="settings-portal">
          <div className="form">
            <Field
              label="Primary colour"
              name="primaryColor"
              value={draft.primaryColor}
              onChange={(e) => set('primaryColor', e.target.value)}
              error={errors.primaryColor}
              hint="A CSS colour, e.g. #0a7d5a. Empty: Hookline's."
            />
            <Field
              label="Font"
              name="fontFamily"
              value={draft.fontFamily}
              onChange={(e) => set('fontFamily', e.target.value)}
              error={errors.fontFamily}
              hint="A font family, e.g. Georgia, serif."
            />
            <label className="check">
              <input type="checkbox" name="darkMode" checked={draft.darkMode} onChange={(e) => set('darkMode', e.target.checked)} />
              <span>Dark mode</span>
            </label>
            {errors.darkMode && <p className="field-error">{errors.darkMode}</p>}
            <LogoField value={draft.logo} error={errors.logo} onChange={(v) => set('logo', v)} />
            <Field
              label="Frame ancestors"
              name="frameAncestors"
              value={draft.frameAncestors}
              onChange={(e) => set('frameAncestors', e.target.value)}
              error={errors.frameAncestors}
              placeholder={inst.portalFrameAncestors}
              hint={`Sites that may embed the portal, space-separated, each one of the installation's (${inst.portalFrameAncestors}), or 'none'. Empty: the installation's.`}
            />
          </div>
          <PortalPreview
            primaryColor={draft.brandPrimary.trim() || draft.primaryColor.trim()}
            darkMode={draft.darkMode}
            fontFamily={draft.brandFont.trim() || draft.fontFamily.trim()}
            logo={draft.logo.trim()}
            radius={draft.brandRadius.trim()}
          />
        </div>
      </Panel>
      <Panel title="Portal brand">
        <BrandFields draft={draft} errors={errors} set={set} />
      </Panel>
      {otherError ? <ErrorState error={otherError} title="Could not save the settings." /> : null}
      <div className="actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          Save settings
        </button>
        {save.isSuccess && (
          <span className="success-text" role="status">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
