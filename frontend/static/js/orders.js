// Copy buttons of the VietQR payment (order page): <button data-copy="text">.
// The buttons are hidden in the HTML and shown here, so that without
// JavaScript no button does nothing. Our own code, no inline script (CSP).
(function () {
  'use strict';
  function status(text) {
    var s = document.querySelector('.copy-status');
    if (s) { s.textContent = text; }
  }
  function fallbackCopy(text) {
    var t = document.createElement('textarea');
    t.value = text;
    t.setAttribute('readonly', '');
    t.style.position = 'fixed';
    t.style.opacity = '0';
    document.body.appendChild(t);
    t.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(t);
    return ok;
  }
  function copy(button) {
    var text = button.getAttribute('data-copy');
    var s = document.querySelector('.copy-status');
    var done = s ? s.getAttribute('data-copied') : '';
    var failed = s ? s.getAttribute('data-copy-failed') : '';
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { status(done + ' ' + text); },
        function () { status(fallbackCopy(text) ? done + ' ' + text : failed); });
    } else {
      status(fallbackCopy(text) ? done + ' ' + text : failed);
    }
  }
  function init() {
    var buttons = document.querySelectorAll('button[data-copy]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener('click', function (e) { copy(e.currentTarget); });
    }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
