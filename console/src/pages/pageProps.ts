/** What the shell hands a page: the path segments after its slug (`/applications/app_1/x` → ['app_1', 'x']). */
export interface PageProps {
  params: string[];
}
