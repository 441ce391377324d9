// 复制 buttons: copy the text of the element named by data-copy-target, e.g. a talking point
// to paste into WeChat. The buttons are hidden without this script; the text stays selectable.
(function () {
  "use strict";

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copied(button) {
    var label = button.textContent;
    button.textContent = button.getAttribute("data-copied-text") || label;
    window.setTimeout(function () { button.textContent = label; }, 1500);
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) return;
    var text = target.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(button); }, function () { selectText(target); });
      return;
    }
    // Plain HTTP on a showroom network has no clipboard API: select the text for a long-press copy.
    selectText(target);
    try {
      if (document.execCommand("copy")) copied(button);
    } catch (e) { /* the selection stays for the user to copy */ }
  }

  function init(root) {
    root.querySelectorAll("button[data-copy-target]").forEach(function (button) { button.hidden = false; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy-target]");
    if (button) copy(button);
  });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // Blocks swapped in by HTMX bring their own buttons.
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
