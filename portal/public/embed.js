/*
 * Hookline portal loader for pages without React. Plain ES2019, no build step.
 *
 *   <div id="webhooks"></div>
 *   <script src="https://hooks.example.com/portal/embed.js"></script>
 *   <script>
 *     HooklinePortal.mount(document.getElementById('webhooks'), {
 *       url: portalUrlFromYourServer, // from POST /api/v1/auth/app-portal-access/{app}
 *       theme: { primaryColor: '#6d28d9', darkMode: false, fontFamily: 'system-ui, sans-serif' },
 *     });
 *   </script>
 *
 * mount() returns { iframe, unmount() }. The iframe follows the portal's content height, which the
 * portal posts to this page; messages from any other origin or window are ignored.
 */
(function (global) {
  'use strict';

  var RESIZE = 'hookline:portal:resize';

  function buildSrc(url, theme, parentOrigin) {
    var src = new URL(url);
    theme = theme || {};
    if (theme.primaryColor) src.searchParams.set('primaryColor', theme.primaryColor);
    if (typeof theme.darkMode === 'boolean') src.searchParams.set('darkMode', String(theme.darkMode));
    if (theme.fontFamily) src.searchParams.set('fontFamily', theme.fontFamily);
    src.searchParams.set('parentOrigin', parentOrigin);
    return src.href; // the #token=… fragment stays last, as given
  }

  function mount(element, options) {
    if (!element || !options || !options.url) throw new TypeError('HooklinePortal.mount(element, { url, theme }) needs an element and a url');
    var portalOrigin = new URL(options.url).origin;
    var minHeight = typeof options.minHeight === 'number' ? options.minHeight : 0;
    var iframe = document.createElement('iframe');
    iframe.src = buildSrc(options.url, options.theme, global.location.origin);
    iframe.title = options.title || 'Webhooks portal';
    iframe.style.cssText = 'width:100%;border:0;display:block';
    iframe.style.height = (typeof options.minHeight === 'number' ? options.minHeight : 400) + 'px';

    function onMessage(event) {
      var data = event.data;
      if (event.origin !== portalOrigin || event.source !== iframe.contentWindow) return;
      if (!data || data.type !== RESIZE || typeof data.height !== 'number' || !isFinite(data.height) || data.height < 0) return;
      iframe.style.height = Math.max(Math.ceil(data.height), minHeight) + 'px';
    }

    global.addEventListener('message', onMessage);
    element.appendChild(iframe);
    return {
      iframe: iframe,
      unmount: function () {
        global.removeEventListener('message', onMessage);
        if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
      },
    };
  }

  global.HooklinePortal = { mount: mount, buildSrc: buildSrc };
})(window);
