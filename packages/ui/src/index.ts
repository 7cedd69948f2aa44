// @hookline/ui: what the portal and the console share, so the two look like one product and
// nothing is written twice. Styles: import '@hookline/ui/tokens.css' and '@hookline/ui/components.css'.
export { ApiError, toApiError, type FieldIssue } from './api/apiError.ts';
export {
  buildQueryString,
  createApiClient,
  type ApiClient,
  type ApiClientOptions,
  type ApiPaths,
  type RequestOptions,
  type ResponseOf,
  type Schemas,
} from './api/client.ts';
export { BarChart, type BarDatum } from './components/BarChart.tsx';
export { DataTable, type Column } from './components/DataTable.tsx';
export { ConfirmDialog, CopyButton, Dialog, EmptyState, ErrorState, ForbiddenHint, formatTime, JsonBlock, Loading, Panel, StatusBadge } from './components/common.tsx';
export { englishUiText, UiTextContext, useUiText, type Status, type UiText } from './components/uiText.ts';
export { applyThemeChoice, nextThemeChoice, storedTheme, useThemeChoice, type ThemeChoice } from './theme.ts';
