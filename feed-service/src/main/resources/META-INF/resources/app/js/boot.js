// Starts the first feed request while the rest of the client is still loading: this module has no
// imports, so it runs as soon as it arrives, not after the whole module graph (a round trip less
// on a slow phone). feed.js takes the answer if its first page asks for the same thing.
export const FIRST_PAGE = '/api/v1/feed?sort=activity&limit=20';

const fragment = new URLSearchParams(location.hash.slice(1)).get('token');
const token = fragment || sessionStorage.getItem('afp.token');
if (token) {
  window.afpFirstPage = fetch(FIRST_PAGE, { headers: { Authorization: `Bearer ${token.trim()}`, Accept: 'application/json' } })
    .then(r => (r.ok ? r.json() : null))
    .catch(() => null);
}
