// Pages that update themselves (the queue, "My tickets", a ticket page):
// the page listens to GET /events and, when a change concerns it, fetches
// itself again and swaps the parts marked data-live-region. Forms sit
// outside those parts, so nothing typed is ever lost. Without JavaScript
// the pages work as before; a reload shows the same.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !main.dataset.live || !window.EventSource || !window.fetch || !window.DOMParser) return;

  var page = main.dataset.live; // "queue", "mine" or "ticket"
  var ticket = Number(main.dataset.liveTicket || 0);
  var url = main.dataset.liveUrl || location.pathname + location.search;
  // The kinds the server streams. A kind added later must be added here
  // too (EventSource has no catch-all for named events).
  var kinds = ["ticket.submitted", "ticket.status_changed", "ticket.assigned", "ticket.comment_added",
    "ticket.attachment_deleted", "ticket.rated", "ticket.merged", "reload"];

  var notice = document.createElement("p");
  notice.className = "live-notice";
  notice.setAttribute("role", "status");
  notice.hidden = true;
  main.insertBefore(notice, main.firstChild);

  function tell(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  var timer = null, busy = false, again = false, commented = false;

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 200); // a burst of events makes one fetch
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (res) {
        if (!res.ok) throw new Error("status " + res.status);
        return res.text();
      })
      .then(function (html) {
        swap(new DOMParser().parseFromString(html, "text/html"));
        tell(commented ? main.dataset.liveCommented : "");
        main.dataset.liveFresh = String(Date.now()); // tests wait on it
      })
      .catch(function () { tell(main.dataset.liveUpdated); })
      .finally(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  // counterpart is the element of region that stands where el stood in
  // old: the one with its id, or the link to the same place (the same one
  // of them where several go there, as a file's thumbnail and name do);
  // null if none does.
  function counterpart(el, old, region) {
    if (el.id) return region.querySelector("#" + CSS.escape(el.id));
    var href = el.getAttribute("href");
    if (!href) return null;
    function linksThere(part) {
      return Array.prototype.filter.call(part.querySelectorAll("a[href]"), function (a) {
        return a.getAttribute("href") === href;
      });
    }
    var fresh = linksThere(region);
    return fresh[linksThere(old).indexOf(el)] || fresh[0] || null;
  }

  function swap(doc) {
    main.querySelectorAll("[data-live-region]").forEach(function (old) {
      var fresh = doc.querySelector('[data-live-region="' + old.dataset.liveRegion + '"]');
      if (!fresh) return;
      var active = document.activeElement, focused = old.contains(active);
      var region = document.importNode(fresh, true);
      old.replaceWith(region);
      // A keyboard user keeps their place: the focus goes to the same
      // ticket or link in the fresh part, or, when it is gone, to the
      // page, so that it does not vanish with the old part.
      if (focused) (counterpart(active, old, region) || main).focus({ preventScroll: true });
    });
    // The comment forms now vouch for the comments just shown, so sending
    // is not held back for them (the server still checks).
    var seen = doc.querySelector('input[name="seen"]');
    if (seen) {
      main.querySelectorAll('input[name="seen"]').forEach(function (input) { input.value = seen.value; });
    }
  }

  function onEvent(e) {
    var d = {};
    try { d = JSON.parse(e.data || "{}"); } catch (err) { return; }
    if (e.type !== "reload" && page === "ticket" && d.ticket_id !== ticket && d.into_id !== ticket) return;
    if (e.type !== "reload" && page === "mine" && !d.own) return; // staff hear of every ticket
    if (e.type === "ticket.comment_added" && page === "ticket") commented = true;
    schedule();
  }

  var source = new EventSource(main.dataset.liveStream);
  kinds.forEach(function (k) { source.addEventListener(k, onEvent); });
  source.addEventListener("presence", function (e) {
    var d = {};
    try { d = JSON.parse(e.data); } catch (err) { return; }
    var el = main.querySelector("[data-live-presence]");
    if (!el) return;
    el.textContent = d.text || "";
    el.hidden = !d.text;
  });
  main.dataset.liveReady = "1"; // the stream is asked for; tests wait on it
  window.addEventListener("pagehide", function () { source.close(); });
})();
