// The cluster view: the nodes (roles, state, uptime, shards owned, resident
// actors) and every shard as one cell of a grid, coloured by its owner, with
// a legend and a tooltip (an element of its own, so it shows at once, on
// touch too) naming the shard's owner and resident actors.
import {format_duration, h, replace_children} from './dom.js';

const palette = ['#1f6feb', '#1a7f37', '#bf8700', '#8250df', '#cf222e', '#0e8a9a', '#bc4c00', '#6e7781'];
// Resident counts per shard come from the actors list; bounded so a huge
// node does not turn one refresh into thousands of requests.
const resident_page = 500;
const resident_pages = 4;

export function node_colour(index) {
  return index < palette.length ? palette[index] : `hsl(${(index * 137.508) % 360} 60% 45%)`;
}

export class cluster_view {
  #session;
  #root;
  #uptime_cells = [];
  #ticker = null;

  constructor(session) {
    this.#session = session;
  }

  mount(root) {
    this.#root = root;
    replace_children(root, h('p', {class: 'muted', text: 'Loading the cluster…'}));
    this.#ticker = setInterval(() => this.#tick(), 1000);
    return this.refresh();
  }

  unmount() {
    clearInterval(this.#ticker);
  }

  async refresh() {
    const [cluster, shards, residents] = await Promise.all([
      this.#session.json('/admin/api/cluster'),
      this.#session.json('/admin/api/shards'),
      this.#residents_per_shard(),
    ]);
    this.#render(cluster, shards, residents);
  }

  async #residents_per_shard() {
    const counts = new Map();
    let cursor = null;
    let complete = false;
    for (let page = 0; page < resident_pages; page++) {
      const query = new URLSearchParams({limit: String(resident_page)});
      if (cursor) query.set('cursor', cursor);
      const body = await this.#session.json(`/admin/api/actors?${query}`);
      for (const actor of body.items || []) counts.set(actor.shard, (counts.get(actor.shard) || 0) + 1);
      cursor = body.next_cursor;
      if (!cursor) {
        complete = true;
        break;
      }
    }
    return {counts, complete};
  }

  #render(cluster, shards, residents) {
    const nodes = cluster.nodes || [];
    const colours = new Map(nodes.map((node, i) => [node.id, node_colour(i)]));
    this.#uptime_cells = [];
    const rows = nodes.map((node) => {
      const uptime = h('td', {class: 'num'});
      this.#uptime_cells.push({cell: uptime, since: Date.parse(node.started_at)});
      const swatch = h('span', {class: 'swatch'});
      swatch.style.backgroundColor = colours.get(node.id);
      return h(
        'tr',
        {'data-node': node.id},
        h('td', {}, swatch, h('code', {text: node.id}), node.id === cluster.node_id ? h('span', {class: 'tag', text: 'answering'}) : null),
        h('td', {class: 'wide', text: (node.roles || []).join(', ')}),
        h('td', {}, h('span', {class: `state state-${node.state}`, text: node.state})),
        uptime,
        h('td', {class: 'num', text: node.shards_owned}),
        h('td', {class: 'num', text: node.resident_actors}),
        h('td', {class: 'wide'}, h('code', {text: node.http_address || '—'})),
        h('td', {class: 'wide'}, h('code', {text: node.cluster_address || '—'})),
      );
    });
    const total = nodes.reduce((sum, node) => sum + (Number(node.resident_actors) || 0), 0);
    replace_children(
      this.#root,
      h(
        'section',
        {class: 'card'},
        h('h2', {}, 'Cluster ', h('code', {text: cluster.cluster})),
        h('p', {class: 'muted'}, `${nodes.length} node${nodes.length === 1 ? '' : 's'} · ${cluster.shard_count} shards · ${total} resident actors · answered by `, h('code', {text: cluster.node_id})),
        h(
          'div',
          {class: 'scroll'},
          h(
            'table',
            {id: 'nodes'},
            // Columns marked "wide" give way on a phone (style.css).
            h('thead', {}, h('tr', {}, [['Node'], ['Roles', 'wide'], ['State'], ['Uptime'], ['Shards'], ['Resident actors'], ['HTTP', 'wide'], ['Cluster', 'wide']].map(([t, c]) => h('th', {class: c, text: t})))),
            h('tbody', {}, rows),
          ),
        ),
      ),
      h(
        'section',
        {class: 'card'},
        h('h2', {text: 'Shards'}),
        h('p', {class: 'muted small', text: residents.complete ? 'Point at a cell for its owner and resident actors.' : `Point at a cell for its owner; resident counts cover the first ${resident_page * resident_pages} actors.`}),
        this.#legend(nodes, colours),
        this.#grid(shards, colours, residents.counts),
      ),
    );
    this.#tick();
  }

  #legend(nodes, colours) {
    const item = (swatch_class, colour, ...label) => {
      const swatch = h('span', {class: swatch_class});
      if (colour) swatch.style.backgroundColor = colour;
      return h('li', {}, swatch, h('span', {}, ...label));
    };
    return h(
      'ul',
      {id: 'shard-legend', class: 'legend'},
      nodes.map((node) => item('swatch', colours.get(node.id), h('code', {text: node.id}), ` · ${node.shards_owned} shards`)),
      item('swatch busy', null, 'has resident actors'),
      item('swatch', '#eaeef2', 'no owner'),
    );
  }

  #grid(shards, colours, counts) {
    const owners = shards.owners || [];
    const columns = Math.max(1, Math.ceil(Math.sqrt(owners.length)));
    const grid = h('div', {id: 'shard-grid', class: 'shard-grid', role: 'img', 'aria-label': `${owners.length} shards coloured by owner`});
    grid.style.gridTemplateColumns = `repeat(${columns}, 1fr)`;
    owners.forEach((owner, shard) => {
      const resident = counts.get(shard) || 0;
      const cell = h('div', {class: resident ? 'shard busy' : 'shard', 'data-shard': shard, 'data-owner': owner || '', 'data-resident': resident});
      cell.style.backgroundColor = colours.get(owner) || '#eaeef2';
      grid.append(cell);
    });
    const tip = h('div', {id: 'shard-tip', class: 'tooltip', role: 'tooltip', hidden: true});
    const show = (event) => {
      const cell = event.target.closest('.shard');
      if (!cell) return;
      replace_children(
        tip,
        h('strong', {text: `shard ${cell.dataset.shard}`}),
        h('div', {}, 'owner: ', h('code', {text: cell.dataset.owner || 'none'})),
        h('div', {text: `resident actors: ${cell.dataset.resident}`}),
      );
      tip.hidden = false;
      // Beside the cell, kept inside the grid's box so it never widens the page.
      const box = wrap.getBoundingClientRect();
      const at = cell.getBoundingClientRect();
      const left = Math.min(at.right - box.left + 6, box.width - tip.offsetWidth);
      tip.style.left = `${Math.max(0, left)}px`;
      tip.style.top = `${at.bottom - box.top + 6}px`;
    };
    grid.addEventListener('pointerover', show);
    grid.addEventListener('click', show);
    grid.addEventListener('pointerleave', () => {
      tip.hidden = true;
    });
    const wrap = h('div', {class: 'shard-map'}, grid, tip);
    return wrap;
  }

  #tick() {
    const now = Date.now();
    for (const {cell, since} of this.#uptime_cells) cell.textContent = format_duration(now - since);
  }
}
