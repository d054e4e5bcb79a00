// A page that throws while rendering shows a message in place of the page, not a blank screen:
// the header, navigation and live state stay, and another page (or a reload) starts afresh.
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function PageFailed(props: { readonly message: string }): ReactNode {
  const { t } = useTranslation();
  return (
    <div className="problem" role="alert">
      <strong>{t('problem.pageFailed')}</strong> <code>{props.message}</code>{' '}
      <button type="button" onClick={() => window.location.reload()}>
        {t('problem.reload')}
      </button>
    </div>
  );
}

export class PageBoundary extends Component<
  { readonly children: ReactNode },
  { readonly error: Error | undefined }
> {
  override state: { readonly error: Error | undefined } = { error: undefined };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    return this.state.error === undefined ? (
      this.props.children
    ) : (
      <PageFailed message={this.state.error.message} />
    );
  }
}
