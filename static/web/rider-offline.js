/* Caravana: the rider's page offline (progressive enhancement; see web/public/offline.py).
 *
 * Registers the service worker of this rider's link, says when the page shown is the copy
 * saved on the phone, reloads when signal returns, and lists what changed in the rider's own
 * itinerary since they last looked. Plain JavaScript, no build step; text only through
 * textContent. (The page of a link that no longer works, web/rider/gone.html, removes what
 * was kept of it.)
 */
(function () {
  "use strict";

  var root = document.getElementById("offline");
  if (!root) {
    return;
  }
  var scope = new URL(root.getAttribute("data-scope") || location.pathname, location.href).href;
  var lastLook = "caravana:last-look:" + scope;
  var cacheName = "caravana-rider-v1 " + scope;

  // --- What changed since the last look --------------------------------------------------
  var linesElement = document.getElementById("itinerary-lines");
  var lines = linesElement ? JSON.parse(linesElement.textContent) : {};
  var version = root.getAttribute("data-version");
  var previous = null;
  try {
    previous = JSON.parse(localStorage.getItem(lastLook) || "null");
  } catch (error) {
    previous = null;
  }
  var box = document.getElementById("offline-changes");
  if (previous && previous.version !== version && previous.lines && box) {
    var list = box.querySelector("ul");
    var add = function (label, text, was) {
      var item = document.createElement("li");
      var strong = document.createElement("strong");
      strong.textContent = label + " ";
      item.appendChild(strong);
      item.appendChild(document.createTextNode(text));
      if (was) {
        var old = document.createElement("span");
        old.className = "muted";
        old.textContent = " (" + box.getAttribute("data-was") + " " + was + ")";
        item.appendChild(old);
      }
      item.setAttribute("data-change", label);
      list.appendChild(item);
    };
    Object.keys(lines).forEach(function (key) {
      if (!(key in previous.lines)) {
        add(box.getAttribute("data-new"), lines[key]);
      } else if (previous.lines[key] !== lines[key]) {
        add(box.getAttribute("data-changed"), lines[key], previous.lines[key]);
      }
    });
    Object.keys(previous.lines).forEach(function (key) {
      if (!(key in lines)) {
        add(box.getAttribute("data-removed"), previous.lines[key]);
      }
    });
    var since = box.querySelector("[data-since]");
    if (since && previous.updated) {
      since.textContent = previous.updated;
    }
    box.hidden = list.children.length === 0;
  }
  try {
    localStorage.setItem(
      lastLook,
      JSON.stringify({ version: version, lines: lines, updated: root.getAttribute("data-updated") }),
    );
  } catch (error) {
    /* storage full or switched off: no comparison next time */
  }

  // --- Offline or not ---------------------------------------------------------------------
  var note = document.getElementById("offline-note");
  var wasOffline = !navigator.onLine;
  function showStatus() {
    if (note) {
      note.hidden = navigator.onLine;
    }
    if (!navigator.onLine) {
      wasOffline = true;
    }
  }
  window.addEventListener("offline", showStatus);
  window.addEventListener("online", function () {
    showStatus();
    if (wasOffline) {
      // Signal is back: the newest itinerary, and what changed. Returning signal often
      // flickers; a moment's wait lets the connection settle before asking the server.
      setTimeout(function () {
        if (navigator.onLine) {
          location.reload();
        }
      }, 1500);
    }
  });
  showStatus();

  // --- The service worker -----------------------------------------------------------------
  if (!("serviceWorker" in navigator) || !window.isSecureContext) {
    return;
  }
  var ready = document.getElementById("offline-ready");
  navigator.serviceWorker
    .register(root.getAttribute("data-worker"), { scope: root.getAttribute("data-scope") })
    .catch(function () {
      /* offline, or refused: the page works without it */
    });
  // "Saved on this phone" once the worker is active (it answers the next visit) and the
  // page is in its copy.
  function checkSaved(attempt) {
    navigator.serviceWorker
      .getRegistration(scope)
      .then(function (registration) {
        var active = registration && registration.active && registration.active.state === "activated";
        return active ? caches.match(scope, { cacheName: cacheName, ignoreVary: true }) : null;
      })
      .then(function (copy) {
        if (copy && ready) {
          ready.hidden = false;
        } else if (attempt < 60) {
          setTimeout(function () { checkSaved(attempt + 1); }, 500);
        }
      });
  }
  if ("caches" in window) {
    checkSaved(0);
  }
})();
