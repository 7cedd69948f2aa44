import { useId, useState } from 'react';
import { Field } from '../../components/Field.tsx';

// The portal logo: an https URL typed in, or a small image picked from this computer and sent as a
// data: URL. The API checks both (type and size) and answers 422 on the field; the same limits are
// said here first, so a too-large file is refused before it is read.
const TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const MAX_BYTES = 48 * 1024;

export function LogoField({ value, error, onChange }: { value: string; error: string | undefined; onChange: (value: string) => void }) {
  const fileId = useId();
  const [fileError, setFileError] = useState<string | undefined>();
  const isData = value.startsWith('data:');
  return (
    <div className="stack tight">
      <Field
        label="Logo"
        name="logo"
        value={isData ? 'An uploaded image' : value}
        readOnly={isData}
        onChange={(e) => onChange(e.target.value)}
        error={error ?? fileError}
        placeholder="https://example.com/logo.png"
        hint="An https URL, or upload a PNG, JPEG, GIF or WebP image of at most 48 KiB. Empty: no logo."
      />
      <div className="actions">
        <label htmlFor={fileId} className="btn small">
          Upload image
        </label>
        <input
          id={fileId}
          type="file"
          className="sr-only"
          accept={TYPES.join(',')}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            setFileError(undefined);
            if (!file) return;
            if (!TYPES.includes(file.type)) return setFileError('Choose a PNG, JPEG, GIF or WebP image.');
            if (file.size > MAX_BYTES) return setFileError(`The image is ${Math.ceil(file.size / 1024)} KiB; at most 48 KiB. Use an https URL for a larger one.`);
            const reader = new FileReader();
            reader.onload = () => {
              if (typeof reader.result === 'string') onChange(reader.result);
            };
            reader.readAsDataURL(file);
          }}
        />
        {value && (
          <button type="button" className="btn small" onClick={() => onChange('')}>
            Remove logo
          </button>
        )}
      </div>
    </div>
  );
}
