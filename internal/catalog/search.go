package catalog

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/producer"
)

// Sort orders of the storefront list.
const (
	SortRelevance = "relevance"
	SortPriceAsc  = "price_asc"
	SortPriceDesc = "price_desc"
	SortNewest    = "newest"
	SortStars     = "stars"
)

func validSort(s string) bool {
	switch s {
	case SortRelevance, SortPriceAsc, SortPriceDesc, SortNewest, SortStars:
		return true
	}
	return false
}

// Query is a storefront search. Zero values mean "any".
type Query struct {
	Text       string
	MinStars   int    // 3, 4 or 5
	Group      string // a group code; its sub-groups match too
	Province   string
	Commune    string
	PriceMin   int64
	PriceMax   int64
	Producer   string // producer slug
	InStock    bool
	Sort       string
	Limit      int
	After      *Cursor
	Day        day.Date // the day badges are judged on; today by default
	ExcludeID  int64    // related products leave out the product itself
	ProducerID int64
}

// Card is a product as a list shows it. Only the columns a card shows are
// filled (cardColumns): no descriptions, stories, search text or variants.
type Card struct {
	Product
	ProducerSlug string
	ProducerName string
	ProvinceCode string
	SortKey      int64 `gorm:"column:sort_key"`
}

// Page is one page of results and the cursor of the next, "" at the end.
type Page struct {
	Cards []Card
	Next  *Cursor
}

// MaxLimit caps a page.
const MaxLimit = 60

// Validate checks a query's values; unknown sorts and out-of-range numbers
// are validation errors rather than silently ignored.
func (q *Query) Validate() error {
	var fields []errs.FieldError
	if q.Sort == "" {
		q.Sort = SortNewest
		if strings.TrimSpace(q.Text) != "" {
			q.Sort = SortRelevance
		}
	}
	if !validSort(q.Sort) {
		fields = append(fields, errs.FieldError{Field: "sort", Message: "validation.oneof"})
	}
	if q.MinStars != 0 && (q.MinStars < 3 || q.MinStars > 5) {
		fields = append(fields, errs.FieldError{Field: "stars", Message: "validation.oneof"})
	}
	if q.PriceMin < 0 || q.PriceMax < 0 || (q.PriceMax > 0 && q.PriceMax < q.PriceMin) {
		fields = append(fields, errs.FieldError{Field: "price_max", Message: "validation.min"})
	}
	if len(q.Text) > 200 {
		fields = append(fields, errs.FieldError{Field: "q", Message: "validation.max"})
	}
	if q.After != nil && q.After.Sort != q.Sort {
		fields = append(fields, errs.FieldError{Field: "cursor", Message: "catalog.bad_cursor"})
	}
	if q.Limit <= 0 || q.Limit > MaxLimit {
		q.Limit = 24
	}
	if q.Day.IsZero() {
		q.Day = day.Today()
	}
	if len(fields) > 0 {
		return &errs.ValidationError{Fields: fields}
	}
	return nil
}

// Stars is what search asks of the registry, which alone knows which
// certificates are valid on a day: a subquery of (product_id, stars), one
// row per product with a certificate valid on d, stars the highest of them
// (registry.BadgeStore implements it). Search joins it only to filter and
// sort by stars; the badge a card shows still comes from the registry's
// BadgeStore. A subquery rather than a list of ids keeps one query per page
// whatever the catalogue's size.
type Stars interface {
	ProductStarsSQL(d day.Date) (string, []any)
}

// errNoStars is a search by stars on a Service built without a Stars source.
var errNoStars = errors.New("catalog: search by stars needs a Stars source (NewService)")

// starsJoin adds, per product, the highest stars valid on day d.
func (s *Service) starsJoin(d day.Date) (string, []any, error) {
	if s.stars == nil {
		return "", nil, errNoStars
	}
	sub, args := s.stars.ProductStarsSQL(d)
	return " LEFT JOIN (" + sub + ") cs ON cs.product_id = products.id", args, nil
}

const starsSQL = "COALESCE(cs.stars, 0)"

// Search runs q on the published products of approved producers.
//
// A text search first asks for every word as typed (words.go); only when
// no published product holds them all does it fall back to a trigram word
// match (PostgreSQL), which tolerates typos but costs more per row. That
// choice depends only on the data, so every page of one search makes the
// same one; it is checked only when the exact query found nothing, which
// spares the common search a round trip.
func (s *Service) Search(ctx context.Context, q Query) (Page, error) {
	if err := q.Validate(); err != nil {
		return Page{}, err
	}
	folded := text.Fold(q.Text)
	cards, err := s.search(ctx, q, folded, false)
	if err != nil || len(cards) > 0 || folded == "" || db.DialectOf(s.db) != db.Postgres {
		return s.page(q, cards), err
	}
	var n int64
	all, wordArgs := wordsCond(db.Postgres, searchWords(folded))
	if err := s.db.WithContext(ctx).Raw("SELECT COUNT(*) FROM (SELECT 1 FROM products WHERE status = ? AND "+all+" LIMIT 1) x",
		append([]any{StatusPublished}, wordArgs...)...).Scan(&n).Error; err != nil {
		return Page{}, err
	}
	if n > 0 { // the words exist, the filters or the cursor leave none
		return s.page(q, cards), nil
	}
	cards, err = s.search(ctx, q, folded, true)
	return s.page(q, cards), err
}

// page cuts the extra row search asks for into the next page's cursor.
func (s *Service) page(q Query, cards []Card) Page {
	out := Page{Cards: cards}
	if len(cards) > q.Limit {
		out.Cards = cards[:q.Limit]
		last := out.Cards[q.Limit-1]
		out.Next = &Cursor{Sort: q.Sort, Key: last.SortKey, ID: last.ID}
	}
	return out
}

// cardColumns are the product columns a card shows, in cardScan's order:
// a list never reads descriptions, stories or the search text, so it does
// not fetch them.
const cardColumns = "products.id, products.producer_id, products.slug, products.name, products.name_en, products.group_code, " +
	"products.unit, products.is_service, products.adult_only, products.status, products.min_price, products.cover_key"

// search runs one page of q (one row more than the limit), the text matched
// exactly or, when fuzzy, by trigram word similarity.
func (s *Service) search(ctx context.Context, q Query, folded string, fuzzy bool) ([]Card, error) {
	dialect := db.DialectOf(s.db)
	// filters are the conditions besides the text and the cursor, which
	// every way of answering shares.
	var filters conds
	filters.add("products.status = ?", StatusPublished) // and pr lists only approved producers: a suspended one's products disappear at once
	var (
		match             conds // the text
		relevance, with   string
		relArgs, withArgs []any
	)
	if folded != "" {
		if fuzzy {
			// A materialised CTE is planned on its own, where the GIN index
			// is the only way to answer it, instead of testing every row.
			with, withArgs = "WITH fuzzy AS MATERIALIZED (SELECT t.id FROM products t WHERE ? <% t.search_text) ", []any{folded}
			match.add("products.id IN (SELECT id FROM fuzzy)")
			relevance = "CAST(word_similarity(?, products.search_text) * 1000 AS BIGINT)"
			relArgs = []any{folded}
		} else {
			cond, args := wordsCond(dialect, searchWords(folded))
			match.add(cond, args...)
			relevance, relArgs = relevanceSQL(folded)
		}
	}
	if q.Group != "" {
		filters.add(`(products.group_code = ? OR products.group_code LIKE ? ESCAPE '\')`, q.Group, db.LikeEscape(q.Group)+".%")
	}
	// Whether a condition reads the producer's row (pr), which the ranking
	// of a text search then cannot do without (see topSQL).
	byProducerRow := q.Province != "" || q.Commune != "" || q.Producer != ""
	if q.Province != "" {
		filters.add("pr.province_code = ?", q.Province)
	}
	if q.Commune != "" {
		filters.add("(products.origin_commune_code = ? OR (products.origin_commune_code IS NULL AND pr.commune_code = ?))", q.Commune, q.Commune)
	}
	if q.PriceMin > 0 {
		filters.add("products.min_price >= ?", q.PriceMin)
	}
	if q.PriceMax > 0 {
		filters.add("products.min_price <= ?", q.PriceMax)
	}
	if q.Producer != "" {
		filters.add("pr.slug = ?", q.Producer)
	}
	if q.ProducerID != 0 {
		filters.add("products.producer_id = ?", q.ProducerID)
	}
	if q.ExcludeID != 0 {
		filters.add("products.id <> ?", q.ExcludeID)
	}
	if q.InStock {
		filters.add("EXISTS (SELECT 1 FROM variants v WHERE v.product_id = products.id AND v.stock > 0)")
	}
	join := ""
	var joinArgs []any
	if q.MinStars > 0 || q.Sort == SortStars {
		var err error
		if join, joinArgs, err = s.starsJoin(q.Day); err != nil {
			return nil, err
		}
	}
	if q.MinStars > 0 {
		filters.add(starsSQL+" >= ?", q.MinStars)
	}

	key, keyArgs, asc := "products.id", []any(nil), false
	switch q.Sort {
	case SortRelevance:
		if relevance != "" {
			key, keyArgs = relevance, relArgs
		}
	case SortPriceAsc:
		key, asc = "products.min_price", true
	case SortPriceDesc:
		key = "products.min_price"
	case SortStars:
		key = starsSQL
	}
	var after conds
	if c := q.After; c != nil {
		op := "<"
		if asc {
			op = ">"
		}
		if key == "products.id" {
			after.add("products.id "+op+" ?", c.ID)
		} else {
			a := append(append([]any{}, keyArgs...), c.Key)
			a = append(append(a, keyArgs...), c.Key, c.ID)
			after.add("("+key+" "+op+" ? OR ("+key+" = ? AND products.id "+op+" ?))", a...)
		}
	}
	dir := " DESC"
	if asc {
		dir = " ASC"
	}
	// Ordering by the id column itself (not an alias) lets SQLite walk the
	// primary key backwards and stop at the limit.
	order := "sort_key" + dir + ", products.id" + dir
	if key == "products.id" {
		order = "products.id" + dir
	}
	where := filters.and(match, after)
	ranked := !fuzzy && folded != "" && !byProducerRow
	if ranked && q.Sort == SortRelevance && (q.After == nil || q.After.Key == tierLead) {
		// The first tier, from the index, in rank order (rank.go).
		lead := filters.and()
		cond, args := leadCond(dialect, folded)
		lead.add(cond, args...)
		if q.After != nil {
			lead.add("products.id < ?", q.After.ID)
		}
		cards, err := s.top(ctx, strconv.Itoa(tierLead), nil, join, joinArgs, lead, "products.id DESC", " DESC", q.Limit)
		if err != nil || len(cards) == q.Limit+1 {
			return cards, err
		}
		// Fewer than a page: the first tier ends on this page, or its
		// window held products of producers no longer listed.
	}
	if ranked {
		cards, err := s.top(ctx, key, keyArgs, join, joinArgs, where, order, dir, q.Limit)
		if err != nil || len(cards) == q.Limit+1 {
			return cards, err
		}
		// Fewer than asked: the last page, or the window held products of
		// producers no longer listed. The whole query decides.
	}
	sql := with + "SELECT " + cardColumns + ", " + producerColumns + ", " +
		key + " AS sort_key FROM products JOIN (" + producer.ListedSQL() + ") pr ON pr.id = products.producer_id" + join + " WHERE " +
		where.sql() + " ORDER BY " + order + " LIMIT ?"
	all := append(append(append(append([]any{}, withArgs...), keyArgs...), joinArgs...), where.args...)
	all = append(all, q.Limit+1)
	if !fuzzy {
		return scanCards(ctx, s.db, sql, all, q.Limit+1)
	}
	var cards []Card
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		// The planner underrates the trigram operator and scans the
		// whole table; the GIN index answers in a fraction of the time.
		if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
			return err
		}
		var err error
		cards, err = scanCards(ctx, tx, sql, all, q.Limit+1)
		return err
	})
	return cards, err
}

// top runs topSQL: one page (limit+1 rows) of the products that where
// selects, ranked by key on the products table alone.
func (s *Service) top(ctx context.Context, key string, keyArgs []any, join string, joinArgs []any, where conds, order, dir string, limit int) ([]Card, error) {
	args := append(append(append(append([]any{}, keyArgs...), joinArgs...), where.args...), topWindow*(limit+1), limit+1)
	return scanCards(ctx, s.db, topSQL(key, join, where.sql(), order, dir), args, limit+1)
}

// conds is a conjunction of SQL conditions and their arguments, in order.
type conds struct {
	list []string
	args []any
}

func (c *conds) add(cond string, args ...any) {
	c.list = append(c.list, cond)
	c.args = append(c.args, args...)
}

// and returns c with the conditions of more after its own (a copy: c is
// not changed).
func (c conds) and(more ...conds) conds {
	out := conds{list: append([]string{}, c.list...), args: append([]any{}, c.args...)}
	for _, m := range more {
		out.list = append(out.list, m.list...)
		out.args = append(out.args, m.args...)
	}
	return out
}

func (c conds) sql() string { return strings.Join(c.list, " AND ") }

// producerColumns are the listed producer's columns a card shows.
const producerColumns = "pr.slug AS producer_slug, pr.legal_name AS producer_name, pr.province_code AS province_code"

// topWindow is how many pages' worth of ranked products topSQL joins to
// their producers: more than one, so that products of a producer who is
// no longer listed rarely leave the page short (which costs the whole
// query once more).
const topWindow = 2

// topSQL ranks a text search's matches on the products table alone and
// joins the producers to the first topWindow pages of them only. Every
// match must be ranked, since its rank depends on the words; joining each
// one to its producer first cost more than the ranking (1,100 lookups for
// "vit quay" in the national catalogue, where a page needs 25). A product
// whose producer is not listed drops out after the ranking, so a window
// that comes back short of a page is answered again by the whole query;
// a full one holds the true first page, since every product it left out
// ranks below all it kept.
func topSQL(key, join, cond, order, dir string) string {
	return "WITH hits AS MATERIALIZED (SELECT products.id AS hit_id, " + key + " AS sort_key FROM products" + join +
		" WHERE " + cond + " ORDER BY " + order + " LIMIT ?) SELECT " + cardColumns + ", " + producerColumns +
		", hits.sort_key FROM hits JOIN products ON products.id = hits.hit_id JOIN (" + producer.ListedSQL() +
		") pr ON pr.id = products.producer_id ORDER BY hits.sort_key" + dir + ", products.id" + dir + " LIMIT ?"
}

// scanCards runs a search's query and reads its rows by hand rather than
// through GORM's reflection, which cost more CPU than the rest of an
// uncached list; on PostgreSQL db.EachRow reads them on pgx itself.
func scanCards(ctx context.Context, g *gorm.DB, query string, args []any, capacity int) ([]Card, error) {
	cards := make([]Card, 0, capacity)
	err := db.EachRow(ctx, g, query, args, func(scan func(dest ...any) error) error {
		// Scanned in place: a Card of its own would escape to the heap
		// (its fields' addresses go to scan), one allocation per row.
		cards = append(cards, Card{})
		c := &cards[len(cards)-1]
		p := &c.Product
		return scan(&p.ID, &p.ProducerID, &p.Slug, &p.Name, &p.NameEn, &p.GroupCode, &p.Unit, &p.IsService, &p.AdultOnly,
			&p.Status, &p.MinPrice, &p.CoverKey, &c.ProducerSlug, &c.ProducerName, &c.ProvinceCode, &c.SortKey)
	})
	if err != nil {
		return nil, err
	}
	return cards, nil
}

// Published returns the published product slug of an approved producer,
// with its variants, or ErrNotFound.
func (s *Service) Published(ctx context.Context, slug string) (Product, error) {
	var p Product
	err := s.db.WithContext(ctx).Preload("Variants", func(q *gorm.DB) *gorm.DB { return q.Order("position, id") }).
		Joins("JOIN ("+producer.ListedSQL()+") pr ON pr.id = products.producer_id").
		Where("products.slug = ? AND products.status = ?", slug, StatusPublished).
		Take(&p).Error
	if db.IsNotFound(err) {
		return p, errs.ErrNotFound
	}
	return p, err
}

// Listed is a product the storefront shows, as a sitemap names it.
type Listed struct {
	Slug      string
	UpdatedAt time.Time
}

// ListedProducts lists the published products of approved producers by id,
// at most limit: what search engines may index.
func (s *Service) ListedProducts(ctx context.Context, limit int) ([]Listed, error) {
	var out []Listed
	err := s.db.WithContext(ctx).Model(&Product{}).Select("products.slug, products.updated_at").
		Joins("JOIN ("+producer.ListedSQL()+") pr ON pr.id = products.producer_id").
		Where("products.status = ?", StatusPublished).Order("products.id").Limit(limit).Scan(&out).Error
	return out, err
}
