// The archive's search page: reads ?q=, asks the Pagefind index of the page's
// language (pagefind/, built by `bulletin archive`) and lists each story found
// with its issue, its headline linked to the story, and a snippet.
// The words shown come from the page (data-* of #search-status), in its language.

const form = document.querySelector(".search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const say = (key, values = {}) =>
  status.dataset[key].replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");

let pagefind = null;

async function load() {
  if (pagefind === null) {
    pagefind = await import("./pagefind/pagefind.js");
    // Results link relative to the site's folder, wherever the site is served from.
    await pagefind.options({ baseUrl: new URL(".", location.href).pathname, excerptLength: 24 });
  }
  return pagefind;
}

function storyItem(page, sub) {
  const item = document.createElement("li");
  item.className = "search-result";
  const issue = document.createElement("p");
  issue.className = "result-issue";
  issue.textContent = page.meta.issue || page.meta.title || "";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = sub.url;
  link.textContent = sub.title;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.className = "result-excerpt";
  // Pagefind's excerpt is the page's text, escaped, with <mark> around the words found.
  excerpt.innerHTML = sub.excerpt;
  item.append(issue, heading, excerpt);
  return item;
}

async function run(query) {
  list.replaceChildren();
  if (!query) {
    status.textContent = "";
    return;
  }
  status.textContent = say("loading");
  let found;
  try {
    const search = await (await load()).search(query);
    const pages = await Promise.all(search.results.slice(0, 30).map((result) => result.data()));
    // A page is an issue; its sub-results are its stories, found by their headline's id.
    found = pages.flatMap((page) =>
      page.sub_results.filter((sub) => sub.url.includes("#")).map((sub) => storyItem(page, sub)),
    );
  } catch (error) {
    status.textContent = say("error", { error: error.message || String(error) });
    return;
  }
  list.replaceChildren(...found);
  const values = { count: found.length, query };
  status.textContent = say(found.length === 0 ? "none" : found.length === 1 ? "one" : "count", values);
}

if (location.protocol === "file:") {
  // Opened from disk, the browser lets no page read the index next to it.
  status.textContent = say("file");
  status.classList.add("search-unavailable");
} else {
  const query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value.trim();
    const url = new URL(location.href);
    url.searchParams.set("q", value);
    history.replaceState(null, "", url);
    run(value);
  });
  run(query.trim());
}
