// Chat details page. Sends named actions to the extension and remembers which chat it shows so
// the panel can come back after a window reload. It never builds HTML from data.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const chatID = document.body.dataset.chatId;
  if (chatID) vscode.setState({ chatID, title: document.title });

  document.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement | null} */ (event.target instanceof Element ? event.target.closest('button') : null);
    if (!target || target.hasAttribute('disabled')) return;
    if (target.dataset.copy !== undefined) {
      vscode.postMessage({ type: 'copy', value: target.dataset.copy });
      target.classList.add('copied');
      setTimeout(() => target.classList.remove('copied'), 1200);
    } else if (target.dataset.action) {
      vscode.postMessage({ type: target.dataset.action });
    }
  });
})();
