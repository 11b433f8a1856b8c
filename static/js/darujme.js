/* The Darujme.cz donation widget, on the donation page only (whose Content-Security-Policy allows Darujme.cz).
   Without JavaScript the page keeps its link to Darujme.cz and the bank-transfer details. */
(function () {
  "use strict";
  var holders = document.querySelectorAll("[data-darujme-widget-token]");
  if (!holders.length) {
    return;
  }
  var origin = "https://www.darujme.cz";
  window.DarujmeObject = "Darujme";
  window.Darujme = window.Darujme || function () {
    (window.Darujme.q = window.Darujme.q || []).push(arguments);
  };
  Array.prototype.forEach.call(holders, function (holder) {
    var token = holder.getAttribute("data-darujme-widget-token");
    window.Darujme(1, token, "render", origin + "/widget?token=" + encodeURIComponent(token), "100%");
  });
  var script = document.createElement("script");
  script.async = true;
  script.src = origin + "/assets/scripts/widget.js";
  document.head.appendChild(script);
})();
