// Images for a post: each file is uploaded as it is chosen (POST /api/content/media, base64) and
// listed with its required alt text, so people who cannot see it still get what it shows.
import { useId, useRef, useState, type ChangeEvent } from 'react';
import { api } from '../api.js';
import type { MediaRef } from '../contentTypes.js';
import { ApiErrorAlert } from './Alerts.js';

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
export const MAX_IMAGES = 4;
const MAX_BYTES = 5 * 1024 * 1024;

/** An image on the form: what the server stores, plus a name and a preview for this page only. */
export interface ComposeImage extends MediaRef {
  alt: string;
  name: string;
  preview: string | null;
}

export function mediaFieldId(index: number): string {
  return `media-${index}-alt`;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result ?? '');
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });
}

function sizeWords(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function ComposeMedia({ images, onChange, errors }: {
  images: ComposeImage[];
  onChange: (next: ComposeImage[]) => void;
  /** Field messages keyed by field id (media-0-alt …). */
  errors: Record<string, string>;
}) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');

  const add = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    e.target.value = '';
    if (!files.length) return;
    setError(null);
    const room = MAX_IMAGES - images.length;
    const chosen = files.slice(0, Math.max(0, room));
    const problems: string[] = [];
    if (files.length > room) problems.push(`A post has at most ${MAX_IMAGES} images.`);
    setBusy(true);
    const added: ComposeImage[] = [];
    for (const file of chosen) {
      if (!IMAGE_TYPES.includes(file.type)) { problems.push(`${file.name}: only PNG, JPEG, GIF or WebP images.`); continue; }
      if (file.size === 0 || file.size > MAX_BYTES) { problems.push(`${file.name}: an image must be under 5 MB.`); continue; }
      try {
        const stored = await api.post<MediaRef>('/api/content/media', { mime: file.type, dataBase64: await readBase64(file) });
        added.push({ sha256: stored.sha256, mime: stored.mime, size: stored.size, alt: '', name: file.name, preview: URL.createObjectURL(file) });
      } catch (err) {
        setError(err);
      }
    }
    setBusy(false);
    if (problems.length) setError(new Error(problems.join(' ')));
    if (added.length) {
      onChange([...images, ...added]);
      setStatus(`${added.length === 1 ? `${added[0]?.name} uploaded` : `${added.length} images uploaded`}. Write its alt text below.`);
    }
  };

  const update = (index: number, alt: string) => onChange(images.map((m, i) => (i === index ? { ...m, alt } : m)));
  const remove = (index: number) => {
    const gone = images[index];
    if (gone?.preview) URL.revokeObjectURL(gone.preview);
    onChange(images.filter((_, i) => i !== index));
    setStatus(`${gone?.name ?? 'The image'} removed.`);
    input.current?.focus();
  };

  return (
    <fieldset className="usa-fieldset margin-top-3" data-testid="compose-media">
      <legend className="usa-legend">Images</legend>
      <div className="usa-form-group margin-top-1">
        <label className="usa-label margin-top-0" htmlFor={inputId}>Add an image <span className="usa-hint">(optional)</span></label>
        <div className="usa-hint" id={`${inputId}-hint`}>PNG, JPEG, GIF or WebP, up to 5 MB each, at most {MAX_IMAGES}. Every image needs alt text.</div>
        <input
          ref={input}
          id={inputId}
          className="usa-input height-auto padding-1"
          type="file"
          accept={IMAGE_TYPES.join(',')}
          multiple
          disabled={busy || images.length >= MAX_IMAGES}
          aria-describedby={`${inputId}-hint`}
          onChange={(e) => void add(e)}
        />
      </div>
      <div role="status" className="usa-sr-only">{busy ? 'Uploading…' : status}</div>
      <ApiErrorAlert error={error} />
      {images.map((m, i) => {
        const id = mediaFieldId(i);
        const fieldError = errors[id];
        return (
          <div key={m.sha256 + i} className={`usa-form-group${fieldError ? ' usa-form-group--error' : ''} border-top border-base-lighter padding-top-2`} data-testid="compose-image">
            {m.preview ? <img src={m.preview} alt="" className="display-block margin-bottom-1" style={{ maxWidth: '10rem', maxHeight: '10rem' }} /> : null}
            <label className={`usa-label margin-top-0${fieldError ? ' usa-label--error' : ''}`} htmlFor={id}>Alt text for {m.name}</label>
            <div className="usa-hint" id={`${id}-hint`}>{m.mime}, {sizeWords(m.size)}. Describe what the image shows for people who cannot see it.</div>
            {fieldError ? <span className="usa-error-message" id={`${id}-error`}>{fieldError}</span> : null}
            <textarea
              id={id}
              className={`usa-textarea${fieldError ? ' usa-input--error' : ''}`}
              rows={2}
              maxLength={2000}
              required
              value={m.alt}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={`${id}-hint${fieldError ? ` ${id}-error` : ''}`}
              onChange={(e) => update(i, e.target.value)}
            />
            <button type="button" className="usa-button usa-button--unstyled margin-top-1" onClick={() => remove(i)}>
              Remove {m.name}
            </button>
          </div>
        );
      })}
    </fieldset>
  );
}
