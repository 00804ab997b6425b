-- No heading more than one level below the heading before it, in document order: a body's
-- template or a narrative placed under a level-1 section cannot make a screen reader's or Word's
-- outline jump from level 1 to level 3.
local last = 0

function Pandoc(doc)
  doc.blocks = doc.blocks:walk({
    Header = function(h)
      if h.level > last + 1 then
        h.level = last + 1
      end
      last = h.level
      return h
    end,
  })
  return doc
end
