// Saved replies on the staff ticket page: the Insert button puts the chosen
// reply, its placeholders already filled by the server (data-text), into
// the comment box at the cursor, without reloading the page. Without
// JavaScript the button sends the form to the server, which does the same.
(function () {
  "use strict";

  function insertAtCursor(box, text) {
    var start = box.selectionStart, end = box.selectionEnd;
    if (typeof start !== "number") {
      start = end = box.value.length;
    }
    var before = box.value.slice(0, start), after = box.value.slice(end);
    // A reply is its own paragraph: a line break where it meets other text.
    if (before !== "" && !/\n$/.test(before)) text = "\n" + text;
    if (after !== "" && !/^\n/.test(after)) text = text + "\n";
    box.value = before + text + after;
    var caret = before.length + text.length;
    box.focus();
    box.setSelectionRange(caret, caret);
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function enhance(select) {
    var box = document.getElementById(select.getAttribute("data-target"));
    var button = document.getElementById("insert-reply");
    if (!box || !button) return;
    button.addEventListener("click", function (e) {
      var option = select.options[select.selectedIndex];
      if (!option) return;
      e.preventDefault();
      insertAtCursor(box, option.getAttribute("data-text") || "");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-target]").forEach(enhance);
  });
})();
