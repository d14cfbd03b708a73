// Login display page: swaps in a refreshed code or the next display without reloading, using
// only src and textContent (never markup), and sends "cancel" to the extension.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const code = /** @type {HTMLImageElement} */ (document.getElementById('code'));
  const waiting = /** @type {HTMLElement} */ (document.getElementById('waiting'));
  const instructions = /** @type {HTMLElement} */ (document.getElementById('instructions'));
  const heading = /** @type {HTMLElement} */ (document.getElementById('heading'));
  const display = /** @type {HTMLElement} */ (document.getElementById('display'));

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || m.type !== 'display') return;
    const src = typeof m.imageSrc === 'string' && /^(data:image\/|https:)/.test(m.imageSrc) ? m.imageSrc : '';
    if (src) {
      code.src = src;
      code.hidden = false;
    } else {
      code.removeAttribute('src');
      code.hidden = true;
    }
    code.alt = String(m.alt ?? '');
    code.className = String(m.kind ?? '');
    display.className = `display display-${String(m.kind ?? '')}`;
    waiting.hidden = !!src && m.kind !== 'nothing';
    instructions.textContent = String(m.instructions ?? '');
    heading.textContent = String(m.heading ?? '');
  });

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('button') : null;
    if (target && target.dataset.action === 'cancel') vscode.postMessage({ type: 'cancel' });
  });
})();
