// Progressive enhancement of the file fields (name="files"): files may be
// dropped onto the field, and the chosen files are listed under it, images
// with a preview drawn from the local file (never uploaded for it). Without
// JavaScript the plain file input does the same job.
(function () {
  "use strict";

  function size(n) {
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return Math.round(n / 1024) + " KB";
    return (n / 1024 / 1024).toFixed(1) + " MB";
  }

  function enhance(input) {
    var field = input.closest(".field") || input.parentNode;
    var list = document.createElement("ul");
    list.className = "file-preview";
    list.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    var urls = [];

    function show() {
      urls.forEach(function (u) { URL.revokeObjectURL(u); });
      urls = [];
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (f) {
        var li = document.createElement("li");
        if (/^image\/(jpeg|png|webp|gif)$/.test(f.type)) {
          var img = document.createElement("img");
          var u = URL.createObjectURL(f);
          urls.push(u);
          img.src = u;
          img.alt = "";
          li.appendChild(img);
        }
        var name = document.createElement("span");
        name.textContent = f.name + " · " + size(f.size); // text, never markup
        li.appendChild(name);
        list.appendChild(li);
      });
    }

    input.addEventListener("change", show);
    field.addEventListener("dragover", function (e) {
      e.preventDefault();
      field.classList.add("dropping");
    });
    field.addEventListener("dragleave", function () { field.classList.remove("dropping"); });
    field.addEventListener("drop", function (e) {
      e.preventDefault();
      field.classList.remove("dropping");
      if (e.dataTransfer && e.dataTransfer.files.length > 0) {
        input.files = e.dataTransfer.files;
        show();
      }
    });
  }

  document.querySelectorAll('input[type="file"][name="files"]').forEach(enhance);
})();
