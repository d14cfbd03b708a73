// The login display page (QR code, emoji, or "waiting"). Pure: strings escaped here, images only
// as data:/https: URLs, the one script nonced from media/. No vscode import.
import { displayText, escapeHtml, pageEnd, pageStart, type PageFrame } from './html';

/** What the page shows; sent again as a message when a refreshed code replaces the old one. */
export interface LoginDisplayModel {
  kind: 'qr' | 'emoji' | 'nothing';
  /** A data: (or https: for emoji) image URL; absent for "nothing" or an unusable emoji URL. */
  imageSrc?: string;
  /** The alt text for the image. */
  alt: string;
  heading: string;
  instructions: string;
}

export function loginDisplayHtml(frame: PageFrame, model: LoginDisplayModel): string {
  const t = frame.t;
  return `${pageStart(frame, model.heading, ' class="login"')}
<main>
  <h1 id="heading"><bdi>${escapeHtml(displayText(model.heading, 200))}</bdi></h1>
  <p id="instructions" class="instructions" aria-live="polite">${escapeHtml(displayText(model.instructions, 2000))}</p>
  <div id="display" class="display display-${model.kind}">
    <img id="code" class="${model.kind}"${model.imageSrc ? ` src="${escapeHtml(model.imageSrc)}"` : ' hidden'} alt="${escapeHtml(model.alt)}">
    <p id="waiting" class="waiting"${model.kind === 'nothing' || !model.imageSrc ? '' : ' hidden'}>${escapeHtml(t('Waiting…'))}</p>
  </div>
  <p class="muted">${escapeHtml(t('The code refreshes by itself. Closing this tab cancels the sign-in.'))}</p>
  <div class="actions"><button type="button" class="secondary" data-action="cancel">${escapeHtml(t('Cancel Sign-in'))}</button></div>
</main>
${pageEnd(frame)}`;
}
