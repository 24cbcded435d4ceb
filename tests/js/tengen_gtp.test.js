// Drives `tengen gtp` through @sabaki/gtp, the GTP client library Sabaki itself uses.
// The engine binary comes from TENGEN_BINARY (CTest sets it).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const {Controller} = require('@sabaki/gtp')

const binary = process.env.TENGEN_BINARY || path.join(__dirname, '../../build/tengen')
const fixtures = path.join(__dirname, '../fixtures/sgf')
const vertexPattern = /^(pass|[A-HJ-Z]\d{1,2})$/i

function startEngine() {
  const engine = new Controller(binary, ['gtp', '--seed', '7', '--log-level', 'off', '--visits', '200', '--resign-threshold', '0'])
  engine.start()
  return engine
}

async function ok(engine, name, ...args) {
  const response = await engine.sendCommand({name, args})
  assert.equal(response.error, false, `${name} ${args.join(' ')} failed: ${response.content}`)
  return response.content
}

// Analysis lines as Sabaki reads them: a line holds several "info" records, each a list of
// key/value pairs whose last key, "pv", takes the rest of the record.
function parseAnalysisLine(line) {
  return line
    .split(/\s*info\s+/)
    .slice(1)
    .map(record => {
      const tokens = record.trim().split(/\s+/)
      const entry = {}
      for (let i = 0; i < tokens.length; i += 2) {
        if (tokens[i] === 'pv') {
          entry.pv = tokens.slice(i + 1)
          break
        }
        entry[tokens[i]] = tokens[i + 1]
      }
      return {
        move: entry.move,
        visits: Number(entry.visits),
        // Leela Zero sends win rates in hundredths of a percent.
        winrate: Number(entry.winrate) / 100,
        prior: Number(entry.prior) / 100,
        order: Number(entry.order),
        pv: entry.pv || []
      }
    })
}

test('plays a full 9x9 game to two passes', async () => {
  const engine = startEngine()
  try {
    await ok(engine, 'boardsize', '9')
    await ok(engine, 'clear_board')
    await ok(engine, 'komi', '7')
    const moves = []
    let passes = 0
    for (let turn = 0; passes < 2; turn++) {
      assert.ok(turn < 400, 'the game did not end within 400 moves')
      const color = turn % 2 === 0 ? 'B' : 'W'
      const move = await ok(engine, 'genmove', color)
      assert.match(move, vertexPattern, `genmove answered ${move}`)
      passes = move.toLowerCase() === 'pass' ? passes + 1 : 0
      moves.push(move)
    }
    assert.ok(moves.length > 20, `only ${moves.length} moves`)
    assert.match(await ok(engine, 'final_score'), /^([BW]\+\d+(\.\d+)?|0)$/)
    const sgf = await ok(engine, 'printsgf')
    assert.equal((sgf.match(/;[BW]\[/g) || []).length, moves.length)
  } finally {
    await engine.stop()
  }
})

test('undo takes moves back', async () => {
  const engine = startEngine()
  try {
    await ok(engine, 'boardsize', '9')
    await ok(engine, 'play', 'B', 'E5')
    await ok(engine, 'play', 'W', 'C3')
    await ok(engine, 'undo')
    assert.equal(await ok(engine, 'list_stones', 'white'), '')
    assert.equal(await ok(engine, 'list_stones', 'black'), 'E5')
    await ok(engine, 'undo')
    const response = await engine.sendCommand({name: 'undo'})
    assert.equal(response.error, true)
    assert.equal(response.content, 'cannot undo')
  } finally {
    await engine.stop()
  }
})

test('loads an SGF game', async () => {
  const engine = startEngine()
  try {
    const file = path.join(fixtures, 'kgs-2001-10-03-1-passes.sgf')
    const moves = (fs.readFileSync(file, 'utf8').match(/;\s*[BW]\[/g) || []).length
    await ok(engine, 'loadsgf', file)
    const sgf = await ok(engine, 'printsgf')
    assert.equal((sgf.match(/;[BW]\[/g) || []).length, moves)
    assert.notEqual(await ok(engine, 'list_stones', 'black'), '')
    await ok(engine, 'loadsgf', file, '10')
    assert.equal((await ok(engine, 'printsgf')).match(/;[BW]\[/g).length, 9)
    const missing = await engine.sendCommand({name: 'loadsgf', args: ['/nonexistent.sgf']})
    assert.equal(missing.error, true)
  } finally {
    await engine.stop()
  }
})

test('streams lz-analyze until the next command', async () => {
  const engine = startEngine()
  try {
    await ok(engine, 'boardsize', '9')
    await ok(engine, 'play', 'B', 'E5')
    const snapshots = []
    const analysis = engine.sendCommand({name: 'lz-analyze', args: ['10']}, ({line}) => {
      if (line.startsWith('info')) snapshots.push(parseAnalysisLine(line))
    })
    while (snapshots.length < 3) await new Promise(resolve => setTimeout(resolve, 20))
    // Any command ends the stream, as in Leela Zero.
    const name = engine.sendCommand({name: 'name'})
    const response = await analysis
    assert.equal(response.error, false)
    assert.equal((await name).content, 'Tengen')
    for (const snapshot of snapshots) {
      assert.ok(snapshot.length > 0)
      snapshot.forEach((candidate, i) => {
        assert.match(candidate.move, vertexPattern)
        assert.ok(candidate.visits > 0)
        assert.ok(candidate.winrate >= 0 && candidate.winrate <= 100)
        assert.equal(candidate.order, i)
        assert.ok(candidate.pv.length > 0 && candidate.pv[0] === candidate.move)
      })
    }
    // Later snapshots have seen more playouts.
    const visits = s => s.reduce((sum, c) => sum + c.visits, 0)
    assert.ok(visits(snapshots[2]) > visits(snapshots[0]))
  } finally {
    await engine.stop()
  }
})
