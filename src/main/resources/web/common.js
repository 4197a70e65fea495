// tickvault dashboard: helpers every panel shares (loaded before the panels): the JSON API call,
// whose errors carry the server's message, and a table cell filled with textContent.
(function () {
  'use strict';

  async function api(path, options) {
    let response;
    try {
      response = await fetch(path, Object.assign({ headers: { Accept: 'application/json' } }, options || {}));
    } catch (e) {
      throw new Error('cannot reach the tickvault server (' + e.message + '); is `tickvault serve` still running?');
    }
    const text = await response.text();
    let body;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      throw new Error('HTTP ' + response.status + ': the response was not complete JSON (' + e.message + ')');
    }
    if (!response.ok) {
      const message = body && body.message ? body.message : 'HTTP ' + response.status;
      const err = new Error(message + (body && body.status ? ' (HTTP ' + body.status + ')' : ''));
      err.status = response.status;
      throw err;
    }
    return body;
  }

  function td(tr, text, cls) {
    const c = document.createElement('td');
    c.textContent = text === null || text === undefined ? '-' : String(text);
    if (cls) c.className = cls;
    tr.appendChild(c);
  }

  window.tickvaultCommon = { api, td };
})();
