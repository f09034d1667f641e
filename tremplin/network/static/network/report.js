// The report's waiting page: ask every two seconds whether the worker made the PDF, then say so in the status line
// (read aloud by screen readers). The download link works all along, with or without this script.
(function () {
  "use strict";
  var box = document.getElementById("rapport-etat");
  if (!box || !window.fetch) return;
  var tries = 0;
  function say(text) { box.textContent = text; }
  function ask() {
    fetch(box.dataset.url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 202 && ++tries < 60) { window.setTimeout(ask, 2000); return; }
      say(response.status === 204 ? box.dataset.ready : box.dataset.again);
    }).catch(function () { say(box.dataset.again); });
  }
  window.setTimeout(ask, 1500);
})();
