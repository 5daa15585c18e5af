// Registers the site's service worker (sw.js at the site root, written by the build; see
// qbank/offline-worker.js), so the site works offline after one visit. The worker's scope is the
// site root, found from this script's own address, so it works under a subpath (GitHub Pages).
//
// Browsers run service workers only on https and on the local machine. `mkdocs serve` writes no
// worker and its pages link no manifest: there, a worker an earlier build left at the same address
// is removed, so a contributor never sees a stale copy.
(function () {
  "use strict";

  if (!("serviceWorker" in navigator) || !document.currentScript) return;
  var local = ["localhost", "127.0.0.1", "[::1]"].indexOf(location.hostname) >= 0;
  if (location.protocol !== "https:" && !local) return;

  var root = new URL("../", document.currentScript.src).href; // javascripts/offline.js -> the root

  if (!document.querySelector('link[rel="manifest"]')) {
    navigator.serviceWorker.getRegistration(root).then(function (registration) {
      if (registration && registration.scope === root) registration.unregister();
    });
    return;
  }

  function register() {
    navigator.serviceWorker.register(root + "sw.js", { scope: root }).catch(function (error) {
      console.warn("Offline reading is not available:", error.message);
    });
  }
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
})();
