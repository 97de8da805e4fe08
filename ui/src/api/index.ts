// The only module that talks to the Tauri core. One typed function per command; argument
// names match the Rust parameters. Every failure is thrown as an `ErrorPayload`.
import { call, type Json } from './call';
import type {
  DraftText,
  LibraryStatus,
  ListPage,
  ListQuery,
  NewPostmortem,
  Postmortem,
  PostmortemView,
  SearchOptions,
  SearchResults,
  SimilarHit,
  Taxonomy,
  Template,
} from './types';

export { toErrorPayload, splitValidation } from './errors';
export type * from './types';
export * from './rootcause';
export * from './authoring';
export * from './actions';
export * from './dialogs';
export * from './window';
export * from './links';
export * from './jobs';

export const libraryStatus = () => call<LibraryStatus>('library_status');

/** One page of the library list, filtered and sorted by the core. */
export const listPostmortems = (query: ListQuery) => call<ListPage>('list_postmortems', { query });

export const getPostmortem = (id: string) => call<PostmortemView>('get_postmortem', { id });

export const createPostmortem = (newPm: NewPostmortem) => call<Postmortem>('create_postmortem', { new: newPm });

export const savePostmortem = (pm: Postmortem) => call<PostmortemView>('save_postmortem', { postmortem: pm });

export const deletePostmortem = (id: string) => call<null>('delete_postmortem', { id });

export const listTemplates = () => call<Template[]>('list_templates');

export const getTaxonomy = () => call<Taxonomy>('get_taxonomy');

export const renderMarkdown = (md: string) => call<string>('render_markdown', { markdown: md });

export const getSetting = (key: string) => call<Json | null>('get_setting', { key });

export const setSetting = (key: string, value: Json) => call<null>('set_setting', { key, value });

/** Runs a query in the search language; a query that cannot be parsed fails with code `parse`. */
export const search = (query: string, options: SearchOptions) => call<SearchResults>('search', { query, options });

/** The postmortems most like a stored one, with the reasons. */
export const similarPostmortems = (id: string, limit: number) =>
  call<SimilarHit[]>('similar_postmortems', { id, limit });

/** The postmortems most like a draft that is still being written. */
export const similarToDraft = (draft: DraftText, limit: number) =>
  call<SimilarHit[]>('similar_to_draft', { draft, limit });
