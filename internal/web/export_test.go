package web

// WithoutOrderNotifications makes the order service tell nobody, as the
// checkout was before notifications existed (issue 11): the "before" of
// TestPerfCheckoutThroughput, which measures what writing the inbox row and
// the e-mail job in the checkout's transaction costs.
func (s *Server) WithoutOrderNotifications() { s.svc.orders.SetNotifier(nil, nil) }
