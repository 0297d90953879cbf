/* The consultation page: the countdown refreshed each minute, and a comment anchored to the
   text selected in a clause.

   Offsets are counted in the clause's own text, as the service checks them
   (dialogue/services/comments.py, _clean_anchor): the text nodes of the clause element, in
   order, leaving out the words removed since the previous version (<del data-removed>),
   which are shown but are not part of the clause. The page renders no whitespace between
   those pieces, so the nodes joined are the clause text exactly. */
(function () {
  "use strict";

  // --- countdown ---------------------------------------------------------------------------
  // The visible text follows the server each minute; the polite live region speaks only
  // when the stage changes (less than a day, an hour, closed), not at every tick.
  var countdown = document.getElementById("countdown");
  if (countdown && countdown.dataset.url) {
    var stage = countdown.dataset.stage;
    var visible = document.getElementById("countdown-text");
    var announcement = document.getElementById("countdown-announcement");
    var refresh = function () {
      fetch(countdown.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (now) {
          if (!now) { return; }
          visible.textContent = now.text;
          if (now.stage !== stage) {
            stage = now.stage;
            announcement.textContent = now.text;
          }
          if (now.closed) {
            countdown.classList.add("closed");
            window.clearInterval(timer);
          }
        });
    };
    var timer = window.setInterval(refresh, 60 * 1000);
  }

  // --- anchoring a comment to a span ---------------------------------------------------------
  var form = document.getElementById("comment-form");
  if (!form) { return; }
  var clauseSelect = form.querySelector("#id_clause");
  var spanStart = form.querySelector("#id_span_start");
  var spanEnd = form.querySelector("#id_span_end");
  var quoted = form.querySelector("#id_quoted_text");
  var quoteBox = document.getElementById("quote-box");
  var quoteText = document.getElementById("quote-text");
  var message = document.getElementById("selection-message");

  // The buttons need this script; without it the clause list of the form still works.
  document.querySelectorAll(".clause-tools").forEach(function (tools) { tools.hidden = false; });

  function countedNodes(element) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest("[data-removed]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    return nodes;
  }

  // The span [start, end) of the selection within one clause element, or null.
  function spanIn(element, range) {
    var offset = 0, start = null, end = null;
    countedNodes(element).forEach(function (node) {
      var length = node.data.length;
      if (range.intersectsNode(node)) {
        var from = node === range.startContainer ? range.startOffset : 0;
        var to = node === range.endContainer ? range.endOffset : length;
        if (to > from) {
          if (start === null) { start = offset + from; }
          end = offset + to;
        }
      }
      offset += length;
    });
    if (start === null) { return null; }
    var text = countedNodes(element).map(function (node) { return node.data; }).join("");
    // Whitespace at either end of a selection (a double-click takes the space after a word)
    // is left out: the comment is about the words.
    while (start < end && /\s/.test(text.charAt(start))) { start += 1; }
    while (end > start && /\s/.test(text.charAt(end - 1))) { end -= 1; }
    if (end <= start) { return null; }
    // The service counts characters as Python does (code points); JavaScript strings count
    // UTF-16 units, which differ for characters outside the Basic Multilingual Plane.
    var before = Array.from(text.slice(0, start)).length;
    var quote = text.slice(start, end);
    return { start: before, end: before + Array.from(quote).length, text: quote, from: start, to: end };
  }

  // The anchored words stay marked after the selection goes (the CSS Custom Highlight API
  // leaves the text nodes, and so the offsets, untouched); browsers without it show the quote
  // in the form only.
  function mark(element, span) {
    if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") { return; }
    CSS.highlights.delete("comment-anchor");
    if (!element || !span) { return; }
    // One range a text node, so that removed words inside the span are not marked.
    var offset = 0, ranges = [];
    countedNodes(element).forEach(function (node) {
      var from = Math.max(span.from - offset, 0);
      var to = Math.min(span.to - offset, node.data.length);
      if (to > from) {
        var range = document.createRange();
        range.setStart(node, from);
        range.setEnd(node, to);
        ranges.push(range);
      }
      offset += node.data.length;
    });
    var highlight = new Highlight();
    ranges.forEach(function (range) { highlight.add(range); });
    CSS.highlights.set("comment-anchor", highlight);
  }

  function anchor(clauseId, span) {
    clauseSelect.value = String(clauseId);
    spanStart.value = span ? span.start : "";
    spanEnd.value = span ? span.end : "";
    quoted.value = span ? span.text : "";
    quoteText.textContent = span ? span.text : "";
    quoteBox.hidden = !span;
    message.textContent = "";
    document.querySelectorAll(".clause-text.anchored").forEach(function (el) { el.classList.remove("anchored"); });
    var element = document.querySelector('.clause-text[data-clause="' + clauseId + '"]');
    if (element) { element.classList.add("anchored"); }
    mark(element, span);
    form.querySelector("#id_kind").focus();
  }

  function clauseElement(clauseId) {
    return document.querySelector('.clause-text[data-clause="' + clauseId + '"]');
  }

  function currentSpan(element) {
    var selection = window.getSelection();
    if (!element || !selection || !selection.rangeCount || selection.isCollapsed) { return null; }
    return spanIn(element, selection.getRangeAt(0));
  }

  // One button a clause. Its label says what it will do: comment on the words selected in
  // the clause, or on the whole clause when none are. The last span selected in a clause is
  // kept (pressing the button may take the selection away from the text in some browsers);
  // it is forgotten when the caret is put back in the clause with nothing selected, or when
  // words of another clause are selected.
  var lastSpans = {};

  function clauseOf(node) {
    var element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    return element ? element.closest(".clause-text[data-clause]") : null;
  }

  function showLabels() {
    document.querySelectorAll(".comment-on-clause").forEach(function (button) {
      var label = button.querySelector(".label");
      var wanted = lastSpans[button.dataset.clause] ? label.dataset.selectionLabel : label.dataset.clauseLabel;
      if (label.textContent !== wanted) { label.textContent = wanted; }
    });
  }

  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (!selection || !selection.rangeCount) { return; }
    var element = clauseOf(selection.anchorNode);
    if (!element) { return; }
    var span = currentSpan(element);
    if (span) {
      lastSpans = {};
      lastSpans[element.dataset.clause] = span;
    } else if (selection.isCollapsed) {
      delete lastSpans[element.dataset.clause];
    }
    showLabels();
  });

  document.querySelectorAll(".comment-on-clause").forEach(function (button) {
    button.addEventListener("click", function () {
      var clauseId = button.dataset.clause;
      anchor(clauseId, currentSpan(clauseElement(clauseId)) || lastSpans[clauseId] || null);
    });
  });

  // Choosing another clause in the list drops a quote taken from the previous one.
  clauseSelect.addEventListener("change", function () {
    spanStart.value = ""; spanEnd.value = ""; quoted.value = "";
    quoteText.textContent = ""; quoteBox.hidden = true;
    mark(null, null);
  });
  document.getElementById("clear-quote").addEventListener("click", function () {
    anchor(clauseSelect.value, null);
  });

  // In a focused clause the arrow keys move a caret through the text (Ctrl or Alt with them:
  // a word at a time; Home and End: the line), and with Shift they select from the caret, as
  // in an editor, without the browser's caret browsing: a keyboard user quotes words from
  // anywhere in the clause, not only from its start. Up and Down without Shift still scroll.
  // The character after the caret is marked, and the words from it are spoken, so that the
  // person knows where the selection will start.
  var steps = { ArrowLeft: "backward", ArrowRight: "forward", ArrowUp: "backward", ArrowDown: "forward", Home: "backward", End: "forward" };
  var caretMessage = document.getElementById("caret-message");

  function showCaret(element, selection) {
    if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") { return; }
    CSS.highlights.delete("comment-caret");
    if (!selection.isCollapsed || !selection.rangeCount) { return; }
    var range = selection.getRangeAt(0).cloneRange();
    var node = range.startContainer;
    if (node.nodeType === Node.TEXT_NODE && range.startOffset < node.data.length) {
      range.setEnd(node, range.startOffset + 1);
      CSS.highlights.set("comment-caret", new Highlight(range));
    }
  }

  function sayWhere(element, selection) {
    if (!caretMessage || !selection.rangeCount) { return; }
    var nodes = countedNodes(element);
    var text = nodes.map(function (node) { return node.data; }).join("");
    var at = 0;
    for (var i = 0; i < nodes.length && nodes[i] !== selection.focusNode; i += 1) { at += nodes[i].data.length; }
    if (i < nodes.length) { at += selection.focusOffset; }
    if (selection.isCollapsed) {
      caretMessage.textContent = (caretMessage.dataset.at || "") + " " + text.slice(at, at + 40);
    } else {
      var span = spanIn(element, selection.getRangeAt(0));
      caretMessage.textContent = (caretMessage.dataset.selected || "") + " " + (span ? span.text : "");
    }
  }

  document.querySelectorAll(".clause-text[data-clause]").forEach(function (element) {
    element.addEventListener("keydown", function (event) {
      var direction = steps[event.key];
      var selection = window.getSelection();
      if (!direction || !selection.modify) { return; }
      var vertical = event.key === "ArrowUp" || event.key === "ArrowDown";
      if (vertical && !event.shiftKey) { return; }
      event.preventDefault();
      var inside = selection.rangeCount && element.contains(selection.anchorNode);
      if (!inside) {
        var first = countedNodes(element)[0];
        if (!first) { return; }
        selection.collapse(first, 0);
      }
      var granularity = event.ctrlKey || event.altKey ? "word" : "character";
      if (vertical) { granularity = "line"; }
      if (event.key === "Home" || event.key === "End") { granularity = "lineboundary"; }
      selection.modify(event.shiftKey ? "extend" : "move", direction, granularity);
      showCaret(element, selection);
      sayWhere(element, selection);
    });
  });
})();
