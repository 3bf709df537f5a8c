import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { Link } from '../shared/link.component';
import { PageHeader } from '../shared/page-header.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { useLoad } from '../shared/use-load.hook';

/** One template, read only: for those whose role does not change templates. */
export function TemplateView({ id }: { id: string }) {
  const template = useLoad(() => fleetjobsApi.getTemplate(id), [id]);
  const t = template.data;
  return (
    <>
      <PageHeader title={t?.displayName || id} breadcrumb={<Link to={{ page: 'templates' }}>Device templates</Link>} />
      <ProblemAlert problem={template.problem} />
      {t ? (
        <section className="card">
          <dl className="definition">
            <dt>Id</dt>
            <dd>
              <code>{t.id}</code>
            </dd>
          </dl>
          <table className="table table--compact">
            <caption className="visually-hidden">Capabilities</caption>
            <thead>
              <tr>
                <th>Capability</th>
                <th>Kind</th>
                <th>Value schema</th>
              </tr>
            </thead>
            <tbody>
              {t.capabilities.map((c) => (
                <tr key={c.name}>
                  <td>
                    <code>{c.name}</code>
                  </td>
                  <td>{c.kind}</td>
                  <td>{c.schema}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
