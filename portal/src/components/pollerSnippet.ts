/**
 * How to read a poller with curl and jq: the first call gives the start iterator, each next one
 * up to 100 messages and the iterator to pass on. `$TOKEN` stays a placeholder: the portal never
 * puts its own token in text meant for copying.
 */
export function pollerSnippet(url: string): string {
  return `URL='${url}'
ITERATOR=$(curl -s "$URL" -H "Authorization: Bearer $TOKEN" | jq -r .iterator)
while true; do
  PAGE=$(curl -s "$URL?iterator=$ITERATOR&limit=100" -H "Authorization: Bearer $TOKEN")
  echo "$PAGE" | jq -c '.data[]'
  ITERATOR=$(echo "$PAGE" | jq -r .iterator)
  if [ "$(echo "$PAGE" | jq -r .done)" = true ]; then sleep 5; fi
done`;
}
