/*
 * /admin/admin.js: keyboard shortcuts over the server-rendered pages, as WordPress's and Gmail's
 * moderators know them. Every key only selects, ticks, follows a link or clicks a button that the
 * page already has, so everything still works by form POST without it. Plain ES2017, served as
 * written on Node and Workers alike, with no build step.
 */
;(function () {
  'use strict'
  document.documentElement.classList.add('js')
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-row]'))
  var help = document.getElementById('shortcuts')
  var selectAll = document.getElementById('select-all')
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name="ids"]'))
  var here = new URLSearchParams(location.search)
  here.delete('done')
  here.delete('n')
  here.delete('undo')
  var memory = 'parley-admin-row:' + location.pathname + '?' + here.toString()
  var selected = -1

  function select(index) {
    if (rows.length === 0) return
    var next = Math.max(0, Math.min(rows.length - 1, index))
    if (rows[selected]) {
      rows[selected].classList.remove('is-selected')
      rows[selected].removeAttribute('aria-current')
    }
    selected = next
    var row = rows[selected]
    row.classList.add('is-selected')
    row.setAttribute('aria-current', 'true')
    row.focus({ preventScroll: true })
    row.scrollIntoView({ block: 'nearest' })
  }

  function syncSelectAll() {
    if (!selectAll) return
    var ticked = boxes.filter(function (box) {
      return box.checked
    }).length
    selectAll.checked = ticked > 0 && ticked === boxes.length
    selectAll.indeterminate = ticked > 0 && ticked < boxes.length
  }

  function act(key) {
    var button = null
    if (rows.length > 0) {
      var anyTicked = boxes.some(function (box) {
        return box.checked
      })
      if (anyTicked) button = document.querySelector('[data-bulk-key="' + key + '"]')
      else if (rows[selected]) button = rows[selected].querySelector('[data-key="' + key + '"]')
      if (button) sessionStorage.setItem(memory, String(Math.max(selected, 0)))
    } else {
      button = document.querySelector('[data-page-actions] [data-key="' + key + '"]')
    }
    if (button) button.click()
  }

  function open() {
    var link = rows[selected] && rows[selected].querySelector('[data-open]')
    if (link) location.assign(link.href)
  }

  function typing(target) {
    if (!(target instanceof HTMLElement)) return false
    if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true
    return target.tagName === 'INPUT' && target.type !== 'checkbox'
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return
    if (help && help.open) {
      if (event.key === '?') {
        help.close()
        event.preventDefault()
      }
      return
    }
    var onControl = event.target instanceof HTMLElement && /^(A|BUTTON)$/.test(event.target.tagName)
    switch (event.key) {
      case 'j':
        select(selected + 1)
        break
      case 'k':
        select(selected < 0 ? 0 : selected - 1)
        break
      case 'x':
        if (!rows[selected]) return
        var box = rows[selected].querySelector('input[name="ids"]')
        if (box) {
          box.checked = !box.checked
          syncSelectAll()
        }
        break
      case 'a':
      case 'h':
      case 's':
      case 't':
      case 'f':
        act(event.key)
        break
      case 'z':
        var undo = document.querySelector('form.undo [data-key="z"]')
        if (undo) undo.click()
        break
      case 'b':
        // The ban form of a comment's page: focus on what to ban by; the moderator confirms with its button.
        var by = document.querySelector('form[action$="/rules"] select[name="kind"]')
        if (!by) return
        by.scrollIntoView({ block: 'center' })
        by.focus()
        break
      case 'c':
        var history = document.querySelector('a[data-key="c"]')
        if (history) location.assign(history.href)
        break
      case 'o':
        open()
        break
      case 'Enter':
        if (onControl || selected < 0) return
        open()
        break
      case 'u':
        var back = document.querySelector('[data-key="u"]')
        if (back) location.assign(back.href)
        break
      case '?':
        if (help) help.showModal()
        break
      default:
        return
    }
    event.preventDefault()
  })

  rows.forEach(function (row, index) {
    row.addEventListener('click', function () {
      if (selected !== index) select(index)
    })
  })
  boxes.forEach(function (box) {
    box.addEventListener('change', syncSelectAll)
  })
  if (selectAll) {
    selectAll.addEventListener('change', function () {
      boxes.forEach(function (box) {
        box.checked = selectAll.checked
      })
      syncSelectAll()
    })
    syncSelectAll()
  }

  // Reply and quick edit in a queue's row: sent without leaving the page. The answer is the queue
  // again (the form's `back`), from which the row's new text is taken; a refusal shows its message.
  Array.prototype.slice.call(document.querySelectorAll('form[data-inline]')).forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault()
      var id = form.id.replace(/^\D+-form-/, '')
      var row = document.getElementById('comment-' + id)
      var button = document.querySelector('button[form="' + form.id + '"]')
      if (button) button.disabled = true
      fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin' })
        .then(function (res) {
          return res.text().then(function (text) {
            return { ok: res.ok, text: text }
          })
        })
        .then(function (answer) {
          if (button) button.disabled = false
          var page = new DOMParser().parseFromString(answer.text, 'text/html')
          if (!answer.ok) {
            var error = page.querySelector('.error-text, .notice')
            return say(row, (error && error.textContent) || 'Not saved.', true)
          }
          var fresh = page.getElementById('comment-' + id)
          var body = fresh && fresh.querySelector('.body')
          var old = row && row.querySelector('.body')
          if (body && old) old.replaceWith(document.importNode(body, true))
          var details = row && row.querySelectorAll('details[open]')
          if (details)
            Array.prototype.forEach.call(details, function (d) {
              d.open = false
            })
          if (form.getAttribute('data-inline') === 'replied') {
            var field = document.querySelector('textarea[form="' + form.id + '"]')
            if (field) field.value = ''
          }
          say(row, form.getAttribute('data-inline') === 'replied' ? 'Reply published.' : 'Comment saved.', false)
        })
        .catch(function () {
          if (button) button.disabled = false
          say(row, 'Not sent: check the connection and try again.', true)
        })
    })
  })

  function say(row, text, error) {
    if (!row) return
    var note = row.querySelector('.inline-note')
    if (!note) {
      note = document.createElement('p')
      note.className = 'inline-note'
      note.setAttribute('role', 'status')
      row.querySelector('td.comment').append(note)
    }
    note.classList.toggle('error', error)
    note.textContent = text
  }

  var remembered = sessionStorage.getItem(memory)
  if (remembered !== null) {
    sessionStorage.removeItem(memory)
    if (rows.length > 0) select(Number(remembered))
  }
})()
