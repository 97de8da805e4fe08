// Hostile content in the real window: a postmortem whose text carries <script>, <img onerror>,
// javascript: and data: links, SVG with script and HTML smuggled into Markdown (as a teammate's
// file or an imported document could). It is shown on the postmortem page (sections rendered
// as Markdown), in search snippets and in the Insights charts (a category named with HTML).
// No script runs (each payload would set window.__pwned), no dangerous element or attribute
// reaches the page, and clicking its links navigates nowhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeWithCli, cliJson, openPostmortem, sampleSession, screenshot, settled, until } from './harness.mjs';

const { libraryDir, session } = sampleSession('hostile');
const $ = (b, id) => b.$(`[data-testid="${id}"]`);

const PAYLOADS = [
  '<script>window.__pwned = "script"</script>',
  '<img src="x" onerror="window.__pwned = \'img\'">',
  "[open me](javascript:window.__pwned='js-link')",
  '[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cudG9wLl9fcHduZWQ9J2RhdGEnPC9zY3JpcHQ+)',
  '<svg onload="window.__pwned=\'svg\'"><script>window.__pwned="svg-script"</script></svg>',
  '<iframe src="javascript:window.top.__pwned=\'iframe\'"></iframe>',
  '<details open ontoggle="window.__pwned=\'details\'"><summary>smuggled</summary></details>',
  '<a href="javascript:window.__pwned=\'raw-a\'">raw link</a>',
  '<object data="data:text/html,<script>window.top.__pwned=1</script>"></object>',
];
const HOSTILE_CATEGORY = '<img src=x onerror="window.__pwned=\'chart\'">';

/** What the page holds that could run: scripts, handlers, frames, and dangerous links. */
const dangers = (b) =>
  b.execute(() => {
    const found = [];
    for (const el of document.querySelectorAll('body *')) {
      const tag = el.tagName.toLowerCase();
      if (['iframe', 'object', 'embed'].includes(tag)) found.push(tag);
      if (tag === 'script' && el.closest('#app, body > div')) found.push('script');
      for (const attr of el.attributes) {
        if (attr.name.startsWith('on')) found.push(`${tag}[${attr.name}]`);
        if (['href', 'src', 'xlink:href', 'data', 'action'].includes(attr.name) && /^\s*(javascript|data|vbscript):/i.test(attr.value)) {
          found.push(`${tag}[${attr.name}=${attr.value.slice(0, 20)}]`);
        }
      }
    }
    return { found, pwned: window.__pwned ?? null, url: location.href };
  });

test('hostile text is shown as text: nothing runs, nothing navigates', async () => {
  const id = cliJson(libraryDir, ['list'])[0].id;
  changeWithCli(libraryDir, id, (pm) => {
    pm.title = `${pm.title} <img src=x onerror="window.__pwned='title'">`;
    pm.sections[0].body = `${PAYLOADS.join('\n\n')}\n\nquokkahostile marker`;
    pm.timeline[0].text = `<script>window.__pwned='timeline'</script> ${pm.timeline[0].text}`;
    pm.categories = [HOSTILE_CATEGORY];
    if (pm.action_items[0]) pm.action_items[0].title = '=HYPERLINK("http://example.com","click") <b onmouseover=alert(1)>x</b>';
  });
  const b = await session();
  const before = await dangers(b);
  assert.deepEqual(before.found, [], 'the app itself has nothing flagged');

  await openPostmortem(b, id);
  const preview = await b.$('[data-testid="postmortem-page"] .markdown');
  await preview.waitForExist({ timeout: 15000, timeoutMsg: 'the section was not rendered' });
  await until(b, async () => (await preview.getProperty('textContent')).includes('quokkahostile'), 'the section text is not shown');
  // Wait for anything that would run to have run.
  await b.pause(1000);
  let seen = await dangers(b);
  assert.deepEqual(seen.found, [], 'dangerous markup reached the page');
  assert.equal(seen.pwned, null, `a payload ran: ${seen.pwned}`);
  // The title is shown as typed, as text.
  assert.match(await (await $(b, 'pm-title')).getValue(), /<img src=x onerror=/);

  // Clicking every link the rendered text holds goes nowhere.
  const url = seen.url;
  for (const link of await b.$$('[data-testid="postmortem-page"] .markdown a')) {
    await link.click().catch(() => {});
  }
  await b.pause(500);
  seen = await dangers(b);
  assert.equal(seen.url, url, 'a link navigated the window');
  assert.equal(seen.pwned, null, `a payload ran: ${seen.pwned}`);
  await settled(b);
  await screenshot('hostile-postmortem');

  // Search snippets show the text, escaped.
  const box = await b.$('[data-testid="search-input"]');
  await box.click();
  await box.setValue('quokkahostile');
  await until(b, async () => (await b.$$('[data-testid="search-snippet"]')).length > 0, 'no snippet for the hostile text');
  await b.pause(500);
  seen = await dangers(b);
  assert.deepEqual(seen.found, [], 'dangerous markup reached the search results');
  assert.equal(seen.pwned, null, `a payload ran in search: ${seen.pwned}`);
  await b.keys('Escape');

  // Insights draws the category named with HTML as text.
  await (await $(b, 'nav-insights')).click();
  await until(b, async () => (await b.$$('.svg svg')).length > 0, 'Insights drew no chart');
  await b.pause(1000);
  seen = await dangers(b);
  assert.deepEqual(seen.found, [], 'dangerous markup reached the charts');
  assert.equal(seen.pwned, null, `a payload ran in Insights: ${seen.pwned}`);
});
