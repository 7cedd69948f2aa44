import { Window } from 'happy-dom';

// A DOM for React, as globals, in a test that also runs Hookline in-process: vitest's happy-dom
// environment would replace Node's URL, fetch and timers for the server as well (and its URL breaks
// the server's fileURLToPath). Imported first, so react-dom sees a document when it loads. The hooks
// use Node's fetch: a browser's same-origin rule is the deployment's concern (docs/headless.md).
const window = new Window({ url: 'http://127.0.0.1/' });
Object.assign(globalThis, {
  window,
  document: window.document,
  HTMLElement: window.HTMLElement,
  HTMLIFrameElement: window.HTMLIFrameElement,
  Node: window.Node,
  MutationObserver: window.MutationObserver,
  getComputedStyle: window.getComputedStyle.bind(window),
});

export async function closeDom(): Promise<void> {
  await window.happyDOM.close();
}
