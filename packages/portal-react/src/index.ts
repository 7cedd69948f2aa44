export { HooklinePortal, type HooklinePortalProps } from './HooklinePortal.tsx';
export { buildPortalSrc, isPortalResizeMessage, type PortalResizeMessage, type PortalTheme } from './portalUrl.ts';
