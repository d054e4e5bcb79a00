// A modal dialog that asks for one line of text (a reason, a note, a unit): focus moves into it,
// Tab stays inside, Escape cancels, and focus returns to the button that opened it.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemView } from './problem-view.js';

export interface TextDialogProps {
  readonly title: string;
  readonly label: string;
  readonly confirm: string;
  readonly onSubmit: (text: string) => void;
  readonly onCancel: () => void;
  readonly pending?: boolean;
  readonly error?: unknown;
  /** An empty answer is allowed (an acknowledgement note may be blank). */
  readonly optional?: boolean;
}

export function TextDialog(props: TextDialogProps): ReactNode {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const id = useId();
  const panel = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    input.current?.focus();
    return () => opener?.focus();
  }, []);

  const onKeyDown = (event: React.KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      props.onCancel();
      return;
    }
    if (event.key !== 'Tab' || panel.current === null) return;
    const focusable = panel.current.querySelectorAll<HTMLElement>(
      'textarea, button:not([disabled])',
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const value = text.trim();
    if (value === '' && props.optional !== true) return;
    props.onSubmit(value);
  };

  return (
    <div className="backdrop">
      <div
        ref={panel}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        onKeyDown={onKeyDown}
      >
        <form onSubmit={submit}>
          <h2 id={`${id}-title`}>{props.title}</h2>
          <label htmlFor={`${id}-text`}>{props.label}</label>
          <textarea
            id={`${id}-text`}
            ref={input}
            value={text}
            required={props.optional !== true}
            maxLength={2000}
            rows={3}
            onChange={(e) => setText(e.target.value)}
          />
          {props.error === undefined || props.error === null ? null : (
            <ProblemView error={props.error} />
          )}
          <div className="dialog-actions">
            <button type="button" onClick={props.onCancel}>
              {t('common.cancel')}
            </button>
            <button
              type="submit"
              className="primary"
              disabled={props.pending === true || (text.trim() === '' && props.optional !== true)}
            >
              {props.confirm}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
