// Shows that a file is being prepared: on a click on a link marked `data-download`,
// the link turns busy (disabled look, spinner, aria-busy) and the live region says so;
// the link is followed with a fresh `download_token`, and when the file's response sets
// the cookie named after it (reporting/downloads.py) the region says the file has
// arrived and the link is usable again. The texts come from the region's data-* attributes.
(function () {
  "use strict";
  var region = document.querySelector("[data-download-status]");
  if (!region) {
    return;
  }
  var CHECK_EVERY = 300;
  var GIVE_UP_AFTER = 10 * 60 * 1000; // a very slow file: stop watching, free the button

  function newToken() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function cookieSet(name) {
    return document.cookie.split("; ").some(function (pair) {
      return pair.indexOf(name + "=") === 0;
    });
  }

  function forget(name) {
    document.cookie = name + "=; Max-Age=0; path=/; SameSite=Lax";
  }

  function busy(link, on) {
    link.classList.toggle("disabled", on);
    if (on) {
      link.setAttribute("aria-busy", "true");
      link.setAttribute("aria-disabled", "true");
      var spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm ms-2";
      spinner.setAttribute("aria-hidden", "true");
      spinner.setAttribute("data-download-spinner", "");
      link.appendChild(spinner);
    } else {
      link.removeAttribute("aria-busy");
      link.removeAttribute("aria-disabled");
      var shown = link.querySelector("[data-download-spinner]");
      if (shown) {
        shown.remove();
      }
    }
  }

  function say(text) {
    region.textContent = text;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-download]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return; // a new tab or window: the browser's own way, without the progress
    }
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") {
      return; // one file at a time per button
    }
    var token = newToken();
    var cookie = "download_" + token;
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("download_token", token);
    busy(link, true);
    say(region.getAttribute("data-busy-text"));
    var started = Date.now();
    var timer = window.setInterval(function () {
      if (cookieSet(cookie)) {
        window.clearInterval(timer);
        forget(cookie);
        busy(link, false);
        say(region.getAttribute("data-done-text"));
      } else if (Date.now() - started > GIVE_UP_AFTER) {
        window.clearInterval(timer);
        busy(link, false);
        say("");
      }
    }, CHECK_EVERY);
    window.location.assign(url.toString());
  });
})();
