import type { TestHookline } from './hookline.ts';

/** An endpoint at `url`, with `code` as its enabled transformation when given, and its signing secret. */
export async function createTransformedEndpoint(
  h: TestHookline,
  auth: { authorization: string },
  appId: string,
  url: string,
  code?: string,
): Promise<{ id: string; secret: string }> {
  const id = (await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url }).expect(201)).body.id as string;
  if (code !== undefined) await h.http.patch(`/api/v1/app/${appId}/endpoint/${id}/transformation`).set(auth).send({ code, enabled: true }).expect(204);
  const secret = (await h.http.get(`/api/v1/app/${appId}/endpoint/${id}/secret`).set(auth).expect(200)).body.key as string;
  return { id, secret };
}
