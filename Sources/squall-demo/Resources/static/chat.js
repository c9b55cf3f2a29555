// The chat page's script: WebSocket chat when available, long polling otherwise (Tornado's two chat demos).
(function () {
  "use strict";
  var inbox = document.getElementById("inbox");
  var form = document.getElementById("messageform");
  var input = document.getElementById("message");
  var cursor = null;

  function show(message) {
    if (document.getElementById("m" + message.id)) return;
    var wrapper = document.createElement("div");
    wrapper.innerHTML = message.html;
    var node = wrapper.firstElementChild;
    if (node) inbox.appendChild(node);
    cursor = message.id;
  }

  function xsrf() {
    var match = document.cookie.match("\\b_xsrf=([^;]*)\\b");
    return match ? match[1] : "";
  }

  function poll() {
    var body = "_xsrf=" + encodeURIComponent(xsrf()) + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    fetch("/a/message/updates", { method: "POST", body: body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" } })
      .then(function (r) { return r.json(); })
      .then(function (data) { data.messages.forEach(show); poll(); })
      .catch(function () { setTimeout(poll, 2000); });
  }

  var socket = null;
  if ("WebSocket" in window) {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/chatsocket";
    socket = new WebSocket(url);
    socket.onmessage = function (event) { show(JSON.parse(event.data)); };
    socket.onclose = function () { socket = null; poll(); };
  } else {
    poll();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text) return;
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify({ body: text }));
    } else {
      var body = "_xsrf=" + encodeURIComponent(xsrf()) + "&body=" + encodeURIComponent(text);
      fetch("/a/message/new", { method: "POST", body: body,
        headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    }
    input.value = "";
  });
})();
