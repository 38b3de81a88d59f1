// Starts Swagger UI on the OpenAPI documents of this node, latest version
// first; the top bar's selector switches between them. "Try it out" calls
// this same origin, with the credential set in the Authorize dialog; the
// credential stays in the page's memory (no persistAuthorization), so a
// reload forgets it.
window.ui = SwaggerUIBundle({
  urls: [
    {url: '/api/v2/openapi.json', name: 'v2: tasks (latest)'},
    {url: '/api/v1/openapi.json', name: 'v1: identity, tasks, notifications, admin'},
  ],
  'urls.primaryName': 'v2: tasks (latest)',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  // The top bar's logo is an inline SVG holding a <style> element, which
  // style-src 'self' refuses (and reports). Without the logo the page needs
  // no inline style: React sets style attributes through the CSSOM, which
  // CSP allows.
  plugins: [SwaggerUIBundle.plugins.DownloadUrl, () => ({components: {Logo: () => null}})],
  layout: 'StandaloneLayout',
  // The default sends each document to validator.swagger.io for a badge:
  // the reference makes no request off this origin.
  validatorUrl: null,
  displayRequestDuration: true,
  // ?url= and ?configUrl= would point the page at another origin's document.
  queryConfigEnabled: false,
});
